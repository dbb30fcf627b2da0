// A round that reached the model is on record even when its Steward dies before its row is written: each process has
// its own journal, whose entries become rows when a later process finds that one dead (interrupted by Steward, with the
// steps up to where it stopped); rows already written are left as they are, and a live process's journal is its own.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ServerView } from '../../../shared/domain/servers.js';
import { startTokenOf } from '../../../main/core/owners/index.js';
import { openStore, SAMPLING_JOURNAL_DIR, type LoopSummary, type RoundRow } from '../../../main/core/store/index.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../fixtures/fake-anthropic.mjs';
import { exitOf, query, waitFor } from '../../helpers/cli.js';
import { hostOn, tempDir } from '../../helpers/host.js';
import { startHostProcess, type HostProcess } from '../../helpers/host-process.js';
import { FIXTURES, NODE } from '../../helpers/paths.js';
import { textRequest } from '../../helpers/sampling.js';
import { undoAfterEach } from '../../helpers/cleanup.js';

const cleanup = undoAfterEach();

function home(): string {
  const dir = tempDir('steward-journal-');
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'data');
}

/** A process that ran and is gone (or, with `keep`, one still running): an owner whose state the OS decides. */
async function owner(keep = false): Promise<{ pid: number; started: string }> {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  const key = { pid: child.pid!, started: startTokenOf(child.pid!)! };
  if (keep) cleanup(() => void child.kill('SIGKILL'));
  else {
    child.kill('SIGKILL');
    await exitOf(child);
  }
  return key;
}

/** The app in a process of its own, a model API stand-in, and the sampling fixture added and approved in it. */
async function samplerApp(): Promise<{ data: string; api: FakeAnthropic; app: HostProcess; server: ServerView }> {
  const data = home();
  // A key the contract takes (long enough to be a real one).
  const api = await startFakeAnthropic({ apiKey: `sk-ant-api03-${'x'.repeat(40)}` });
  cleanup(() => api.close());
  const app: HostProcess = await startHostProcess(data, { kind: 'app' });
  cleanup(() => app.killHard());
  await app.call('models:set', { baseUrl: api.url });
  await app.call('models:setKey', { apiKey: api.apiKey });
  const added = await app.call('servers:add', {
    name: 'sampler',
    config: { transport: 'stdio', command: NODE, args: [join(FIXTURES, 'sampling-server.mjs')], env: {} },
    sandbox: { enabled: false },
  });
  const consent = await app.call('consent:get', { serverId: added.id });
  const server: ServerView = await app.call('consent:decide', { serverId: added.id, hash: consent.spec.hash, decision: 'approve' });
  return { data, api, app, server };
}

/** The lines of a process's journal files, as it wrote them. */
function journalLines(data: string, pid: number): string[] {
  const dir = join(data, SAMPLING_JOURNAL_DIR);
  return readdirSync(dir)
    .filter((name) => name.startsWith(`${pid}.`))
    .flatMap((name) =>
      readFileSync(join(dir, name), 'utf8')
        .split('\n')
        .filter((line) => line !== ''),
    );
}

const AT = '2026-03-01T09:00:00.000Z';
const STEPS = [
  { at: AT, to: 'received', by: 'server', why: 'The server sent the request.' },
  { at: AT, to: 'checked', by: 'host', why: 'The request is valid.' },
  { at: AT, to: 'sent', by: 'policy', why: 'Your policy for this server allows requests within budget.' },
];

function entry(id: string, loopId: string, by: { pid: number; started: string }): { loop: LoopSummary; round: RoundRow } {
  return {
    loop: { id: loopId, serverId: 's-1', serverName: 'sampler', toolCall: null, startedAt: AT, updatedAt: AT, rounds: 1, inputTokens: 0, outputTokens: 0 },
    round: {
      id,
      loop_id: loopId,
      server_id: 's-1',
      round: 1,
      received_at: AT,
      status: 'sent',
      decided_by: 'policy',
      model: 'claude-sonnet-5-5',
      input_tokens: 0,
      output_tokens: 0,
      latency_ms: null,
      stop_reason: null,
      request: '{"messages":[{"role":"user","content":{"type":"text","text":"hi"}}],"maxTokens":10}',
      reply: null,
      error: null,
      edits: null,
      sent: '{"model":"claude-sonnet-5-5","max_tokens":10,"messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}]}',
      reply_returned: null,
      steps: JSON.stringify(STEPS),
      params_report: null,
      owner_pid: by.pid,
      owner_started: by.started,
    },
  };
}

describe('the sampling journal', () => {
  it('turns what a dead process journaled into rows, interrupted, and leaves a live process’s journal alone', async () => {
    const data = home();
    const dead = await owner();
    const live = await owner(true);
    const before = openStore(join(data, 'steward.db'));
    // Servers with no row are fine here: the journal's loops name them only.
    before.db.pragma('foreign_keys = OFF');
    before.sampling.journal(dead, entry('r-dead', 'l-dead', dead));
    before.sampling.journal(live, entry('r-live', 'l-live', live));
    // A damaged entry (a torn write cannot happen in SQLite, but a hostile edit can) is skipped, not fatal.
    before.db
      .prepare("INSERT INTO sampling_journal (round_id, owner_pid, owner_started, entry) VALUES ('r-bad', ?, ?, '{not json')")
      .run(dead.pid, dead.started);
    before.close();

    const host = await hostOn(data, cleanup);
    const round = host.sampling.round('r-dead');
    expect(round).toMatchObject({ status: 'interrupted', decidedBy: 'policy', sent: expect.stringContaining('"max_tokens":10') as string });
    expect(round!.steps.map((s) => `${s.to}/${s.by}`)).toEqual(['received/server', 'checked/host', 'sent/policy', 'interrupted/host']);
    expect(round!.error).toContain('stopped before it was answered');
    expect(host.sampling.listLoops(null, null, 10)).toMatchObject([{ id: 'l-dead', rounds: 1, status: 'ended' }]);
    // The live process's round is still its own: in its journal, not turned into a row, not interrupted.
    expect(host.sampling.round('r-live')).toBeUndefined();
    expect(host.store.sampling.journaled().map((e) => e.entry?.round.id)).toEqual(['r-live']);
  });

  it('after a kill while the model works: the round it was waiting on is interrupted with the exact body sent, rounds already replied stay as they are', async () => {
    const { data, api, app, server } = await samplerApp();
    await app.call('sampling:setPolicy', { serverId: server.id, policy: { mode: 'allow' } });

    for (const text of ['one', 'two', 'three']) {
      await app.call('tools:call', { serverId: server.id, name: 'sample', arguments: { params: textRequest(text) } });
    }
    const replied = await waitFor('three replied rows', () => {
      const rows = query<RoundRow>(data, "SELECT * FROM sampling_rounds WHERE status = 'replied' ORDER BY received_at");
      return rows.length === 3 ? rows : undefined;
    });
    // Their entries are still in the journal (it is cleared in bulk): reading it back must leave these rows alone.
    expect(journalLines(data, app.pid)).toHaveLength(3);

    api.setLatency(60_000);
    void app.send('tools:call', { serverId: server.id, name: 'sample', arguments: { params: textRequest('four', { systemPrompt: 'Be brief.' }) } });
    const asked = await waitFor('the fourth request at the model', () => api.requests.filter((r) => r.path === '/v1/messages')[3]);
    await app.killHard();

    const host = await hostOn(data, cleanup);
    const rows = query<RoundRow>(data, 'SELECT * FROM sampling_rounds ORDER BY received_at');
    expect(rows.slice(0, 3)).toEqual(replied);
    const fourth = rows[3]!;
    expect(fourth).toMatchObject({ status: 'interrupted', decided_by: 'policy', owner_pid: app.pid });
    const record = host.sampling.round(fourth.id)!;
    expect(record.steps.map((s) => `${s.to}/${s.by}`)).toEqual(['received/server', 'checked/host', 'sent/policy', 'interrupted/host']);
    // What the record says went to the model is what the model received (the SDK adds only the stream flag).
    expect({ ...(JSON.parse(record.sent!) as object), stream: true }).toEqual(asked.body);
    expect(host.store.sampling.journaled()).toEqual([]);
    expect(
      host.sampling
        .listLoops(null, null, 10)
        .map((l) => l.rounds)
        .reduce((a, b) => a + b, 0),
    ).toBe(4);
  });

  it('after a kill while the model works on a round the user approved with an edit: the record holds the edited body that was sent', async () => {
    const { data, api, app, server } = await samplerApp();

    // The default policy asks: the round is written when the user decides, before its body is prepared.
    api.setLatency(60_000);
    void app.send('tools:call', { serverId: server.id, name: 'sample', arguments: { params: textRequest('ask me first') } });
    const item = await waitFor('the question in the inbox', async () => (await app.call('inbox:list', {})).find((i) => i.kind === 'sampling'));
    await app.call('inbox:decide', {
      itemId: item.id,
      decision: { kind: 'sampling', decision: 'approve', grant: 'once', edits: { maxTokens: 77, systemPrompt: 'Edited by the user.' } },
    });
    const asked = await waitFor('the request at the model', () => api.requests.find((r) => r.path === '/v1/messages'));
    expect(asked.body).toMatchObject({ max_tokens: 77, system: 'Edited by the user.' });
    await app.killHard();

    const host = await hostOn(data, cleanup);
    const [row] = query<RoundRow>(data, 'SELECT * FROM sampling_rounds');
    expect(row).toMatchObject({ status: 'interrupted', decided_by: 'user', owner_pid: app.pid });
    const record = host.sampling.round(row!.id)!;
    expect(record.steps.map((s) => `${s.to}/${s.by}`)).toEqual(['received/server', 'checked/host', 'waiting/policy', 'sent/user', 'interrupted/host']);
    expect(record.edits).toEqual([
      { at: expect.any(String) as string, edits: { maxTokens: 77, systemPrompt: 'Edited by the user.' }, keptFromRound: null, keep: false },
    ]);
    // Tried: before the fix the row written at the decision had no body, the journal entry with it was never written,
    // and this was null.
    expect(record.sent).not.toBeNull();
    expect({ ...(JSON.parse(record.sent!) as object), stream: true }).toEqual(asked.body);
    expect(host.store.sampling.journaled()).toEqual([]);
  });
});
