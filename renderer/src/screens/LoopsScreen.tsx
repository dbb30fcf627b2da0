// Agent loops: each run of sampling requests a server made for one task, live while they run, newest first.
import { Repeat } from 'lucide-react';
import { useState } from 'react';
import type { LoopView } from '../../../shared/domain/sampling.js';
import { NextPage, RefreshButton, ServerFilter } from '../components/ListControls.js';
import { ScreenHeader } from '../components/ScreenHeader.js';
import { EmptyState, ErrorNote, Loading } from '../components/States.js';
import { formatAgo, formatDateTime, formatNumber } from '../lib/format.js';
import { href } from '../lib/router.js';
import { useAction } from '../lib/use-action.js';
import { useLoops } from '../lib/use-loops.js';
import { useNow } from '../lib/use-now.js';
import './loops.css';
import './records.css';

export function LoopsScreen() {
  const [serverId, setServerId] = useState('');
  const { loops, hasOlder, loadOlder, reload } = useLoops(serverId);
  const older = useAction(loadOlder);
  const now = useNow();

  return (
    <>
      <ScreenHeader
        title="Agent loops"
        subtitle="Every sampling request a server made, grouped into the loops they form"
        actions={<RefreshButton onClick={reload} />}
      />
      <div className="toolbar filters">
        <ServerFilter value={serverId} onChange={setServerId} />
      </div>
      <div className="screen-body">
        {loops.state === 'loading' && <Loading label="Loading the loops…" />}
        {loops.state === 'error' && <ErrorNote title="Steward could not read the loops." error={loops.error} onRetry={reload} />}
        {loops.state === 'ready' && loops.data.length === 0 && (
          <EmptyState icon={Repeat} title={serverId ? 'No loops from this server' : 'No agent loops yet'}>
            When a server asks your model for something (sampling), the request and the rounds that follow it show up here, with what was sent, who allowed it
            and what it cost.
          </EmptyState>
        )}
        {loops.state === 'ready' && loops.data.length > 0 && (
          <>
            <table className="table loops-table">
              <thead>
                <tr>
                  <th>Tool call</th>
                  <th className="col-server">Server</th>
                  <th className="col-rounds num">Rounds</th>
                  <th className="col-tokens num">Tokens in / out</th>
                  <th className="col-state">Status</th>
                  <th className="col-updated">Updated</th>
                </tr>
              </thead>
              <tbody>
                {loops.data.map((loop) => (
                  <LoopRow key={loop.id} loop={loop} now={now} />
                ))}
              </tbody>
            </table>
            <NextPage action={older} more={hasOlder} label="Load older" end="No older loops." />
          </>
        )}
      </div>
    </>
  );
}

function LoopRow({ loop, now }: { loop: LoopView; now: number }) {
  return (
    <tr data-loop={loop.id} data-status={loop.status}>
      <td>
        <a className="loop-link" href={href('loops', loop.id)}>
          {loop.toolCall ?? 'Sampling outside a tool call'}
        </a>
      </td>
      <td className="col-server">{loop.serverName}</td>
      <td className="col-rounds num">{loop.rounds}</td>
      <td className="col-tokens num">
        {formatNumber(loop.inputTokens)} / {formatNumber(loop.outputTokens)}
      </td>
      <td className="col-state">
        <LoopStatus status={loop.status} />
      </td>
      <td className="col-updated">
        <time dateTime={loop.updatedAt} title={formatDateTime(loop.updatedAt)}>
          {formatAgo(loop.updatedAt, now)}
        </time>
      </td>
    </tr>
  );
}

export function LoopStatus({ status }: { status: LoopView['status'] }) {
  return (
    <span className={`status ${status === 'active' ? 'status-busy' : 'status-idle'}`} data-status={status}>
      <span className="status-dot" aria-hidden />
      {status === 'active' ? 'active' : 'ended'}
    </span>
  );
}
