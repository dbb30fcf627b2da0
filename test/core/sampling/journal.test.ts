// A round that reached the model is on record even when Steward dies before its row is written: the journal entry
// becomes its row at the next start, interrupted by Steward, with the steps up to where it stopped.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHost, type Host } from '../../../main/core/host.js';
import { FileSecretStore } from '../../../main/core/node/index.js';
import { openStore } from '../../../main/core/store/index.js';
import { noSandbox, tempDir } from '../../helpers/host.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe('the sampling journal', () => {
  it('turns a round only the journal holds into its row at the next start, interrupted, and empties the journal', async () => {
    const dir = tempDir('steward-journal-');
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const data = join(dir, 'data');
    const at = '2026-03-01T09:00:00.000Z';
    // What a Steward killed while the model worked left behind: the journal entry, no row.
    const before = openStore(join(data, 'steward.db'));
    const steps = [
      { at, to: 'received', by: 'server', why: 'The server sent the request.' },
      { at, to: 'checked', by: 'host', why: 'The request is valid.' },
      { at, to: 'sent', by: 'policy', why: 'Your policy for this server allows requests within budget.' },
    ];
    before.sampling.journal('r-1', {
      loop: { id: 'l-1', serverId: 's-1', serverName: 'sampler', toolCall: null, startedAt: at, updatedAt: at, rounds: 1, inputTokens: 0, outputTokens: 0 },
      round: {
        id: 'r-1',
        loop_id: 'l-1',
        server_id: 's-1',
        round: 1,
        received_at: at,
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
        steps: JSON.stringify(steps),
        params_report: null,
      },
    });
    // A damaged entry (a torn write cannot happen in SQLite, but a hostile edit can) is skipped, not fatal.
    before.db.prepare("INSERT INTO sampling_journal (round_id, entry) VALUES ('r-2', '{not json')").run();
    before.close();

    const host: Host = await createHost({
      dataDir: { path: data },
      secrets: FileSecretStore.inDataDir(data),
      browser: { open: () => Promise.resolve() },
      sandbox: noSandbox,
    });
    cleanup.push(() => host.dispose());
    const round = host.sampling.round('r-1');
    expect(round).toMatchObject({ status: 'interrupted', decidedBy: 'policy', sent: expect.stringContaining('"max_tokens":10') as string });
    expect(round!.steps.map((s) => `${s.to}/${s.by}`)).toEqual(['received/server', 'checked/host', 'sent/policy', 'interrupted/host']);
    expect(host.sampling.listLoops(null, null, 10)).toMatchObject([{ id: 'l-1', rounds: 1, status: 'ended' }]);
    expect(host.store.sampling.journaled()).toEqual([]);
  });
});
