// One agent loop's transcript, round by round, read again whenever the host says the loop changed.
import { ChevronLeft, Repeat } from 'lucide-react';
import { useEffect } from 'react';
import type { LoopView } from '../../../shared/domain/sampling.js';
import { toolNames } from '../components/ConversationView.js';
import { Facts } from '../components/Facts.js';
import { ScreenHeader } from '../components/ScreenHeader.js';
import { RecordPending } from '../components/States.js';
import { formatDateTime, formatNumber } from '../lib/format.js';
import { href } from '../lib/router.js';
import { call, subscribe } from '../lib/steward.js';
import { useLoad } from '../lib/use-load.js';
import { LoopStatus } from './LoopsScreen.js';
import { RoundCard } from './loops/RoundCard.js';
import { RoundViews, toolUses } from './loops/RoundViews.js';
import { useViewTools } from '../components/apps/use-view-tools.js';
import './loops.css';
import './servers.css';

const BACK = (
  <a className="back-link" href={href('loops')}>
    <ChevronLeft size={14} aria-hidden /> Loops
  </a>
);

export function LoopDetailScreen({ loopId }: { loopId: string }) {
  const [loop, reload] = useLoad(() => call('sampling:loop', { loopId }), [loopId]);
  // The event says the loop changed; the transcript itself is read again (the last one stays on screen meanwhile).
  useEffect(() => subscribe('sampling:changed', (changed) => changed.id === loopId && reload()), [loopId, reload]);

  if (loop.state !== 'ready') return <RecordPending loaded={loop} noun="loop" icon={Repeat} back={BACK} onRetry={reload} />;
  return <Transcript loop={loop.data} />;
}

function Transcript({ loop }: { loop: LoopView }) {
  const entries = loop.entries ?? [];
  const facts: Array<[string, string]> = [
    ['Server', loop.serverName],
    ['Started', formatDateTime(loop.startedAt)],
    ['Rounds', String(loop.rounds)],
    ['Tokens', `${formatNumber(loop.inputTokens)} in · ${formatNumber(loop.outputTokens)} out`],
  ];
  // Results in a round answer calls made in an earlier round's reply.
  const blocks = entries.flatMap((e) => [...(e.reply ?? []), ...e.newMessages.flatMap((m) => m.content)]);
  const calls = toolNames(blocks);
  const uses = toolUses(blocks);
  const viewTools = useViewTools(loop.serverId);
  return (
    <>
      <ScreenHeader
        before={BACK}
        title={
          <>
            {loop.toolCall ?? 'Sampling outside a tool call'} <LoopStatus status={loop.status} />
          </>
        }
        subtitle={<Facts facts={facts} />}
      />
      <div className="screen-body">
        {entries.length === 0 ? (
          <p className="muted">No rounds recorded yet.</p>
        ) : (
          <ol className="rounds plain-list vstack" aria-label="Rounds">
            {entries.map((entry) => (
              <RoundCard key={entry.requestId} entry={entry} calls={calls}>
                <RoundViews loopId={loop.id} serverId={loop.serverId} entry={entry} uses={uses} tools={viewTools} />
              </RoundCard>
            ))}
          </ol>
        )}
      </div>
    </>
  );
}
