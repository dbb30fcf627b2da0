// One sampling round through the host (received → validated, recorded, sent to the model API, answered) against
// the Anthropic SDK calling the same local Messages API stand-in directly.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Anthropic from '@anthropic-ai/sdk';
import { present } from '../shared/errors.js';
import { withHost, unsandboxed } from './core.js';
import { repeat, type Outcome } from './repeat.js';
import { inOrder, percentile, timeEach, type StopRule } from './stats.js';

interface Fake {
  url: string;
  apiKey: string;
  close(): Promise<void>;
}

/** The stand-in runs as its own process, as a model API never shares the host's event loop. */
async function startStandIn(): Promise<Fake> {
  const script = fileURLToPath(new URL('../../test/fixtures/fake-anthropic.mjs', import.meta.url));
  const child = spawn(process.execPath, [script], { env: { ...process.env, PORT: '0', FAKE_ANTHROPIC_KEY: 'bench-key' }, stdio: ['ignore', 'ignore', 'pipe'] });
  const port = await new Promise<number>((resolve, reject) => {
    let text = '';
    child.stderr.on('data', (c: Buffer) => {
      text += c.toString();
      const m = /LISTENING (\d+)/.exec(text);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`the stand-in exited (${code}): ${text}`)));
  });
  child.stderr.resume();
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey: 'bench-key',
    close: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const PARAMS = {
  messages: [{ role: 'user', content: { type: 'text', text: 'List the files, then summarise the README.' } }],
  systemPrompt: 'You are a careful assistant.',
  maxTokens: 256,
  tools: [{ name: 'list_files', description: 'List files', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } }],
};

/** Rounds per side in one repetition, in alternating batches. */
const ROUNDS_PER_REP = 60;
const BATCH = 15;

export async function samplingRounds(rule: StopRule, log: (line: string) => void): Promise<Outcome> {
  const api = await startStandIn();
  try {
    const client = new Anthropic({ apiKey: api.apiKey, baseURL: api.url, maxRetries: 0 });
    const direct = () =>
      client.messages
        .stream({
          model: 'claude-sonnet-5-5',
          max_tokens: 256,
          system: PARAMS.systemPrompt,
          messages: [{ role: 'user', content: [{ type: 'text', text: present(PARAMS.messages[0], 'the sample message').content.text }] }],
          tools: [{ name: 'list_files', description: 'List files', input_schema: { type: 'object', properties: { path: { type: 'string' } } } }],
          tool_choice: { type: 'auto' },
        })
        .finalMessage();
    return await withHost(unsandboxed, async (host) => {
      await host.models.set({ baseUrl: api.url });
      await host.models.setKey(api.apiKey);
      // Several servers share the load so the per-server rate budget (at most 600 a minute) never holds a round.
      const ids: string[] = [];
      for (let i = 0; i < 8; i++) {
        const view = await host.servers.add({ name: `bench-${i}`, config: { transport: 'http', url: 'http://127.0.0.1:9/mcp', headers: {} } });
        host.sampling.setPolicy(view.id, view.name, { mode: 'allow', budgets: { requestsPerMinute: 600, tokensPerDay: 100_000_000 } });
        ids.push(view.id);
      }
      let n = 0;
      // The server's cancel signal: in use the MCP SDK makes one for each request it receives, before Steward is
      // called, so making it is no part of Steward's round. One that never fires stands in for all of them.
      const signal = new AbortController().signal;
      const viaHost = () => {
        const serverId = present(ids[n++ % ids.length], 'a bench server');
        return host.sampling.handle({ serverId, serverName: serverId, sessionKey: 'bench', toolsDeclared: true, signal }, PARAMS);
      };
      // Both sides need a few hundred rounds before the JIT settles.
      for (let i = 0; i < 2; i++) {
        await timeEach(150, viaHost);
        await timeEach(150, direct);
      }
      return repeat(
        {
          name: 'sampling rounds',
          headline: ['sampling_round_ratio'],
          rule,
          rep: async (rep) => {
            const host: number[] = [];
            const bare: number[] = [];
            const cpu = { host: 0, bare: 0 };
            const timed = async (fn: () => Promise<unknown>, into: number[], side: 'host' | 'bare') => {
              const before = process.cpuUsage();
              into.push(...(await timeEach(BATCH, fn)));
              const used = process.cpuUsage(before);
              cpu[side] += used.user + used.system;
            };
            const subject = () => timed(viaHost, host, 'host');
            const baseline = () => timed(direct, bare, 'bare');
            for (let done = 0; done < ROUNDS_PER_REP; done += BATCH) for (const side of inOrder(rep + done / BATCH, subject, baseline)) await side();
            const h = percentile(host, 50);
            const d = percentile(bare, 50);
            return {
              sampling_round_ratio: h / d,
              sampling_round_host_p50_ms: h,
              sampling_round_direct_p50_ms: d,
              // CPU time of this process per round, host against the SDK alone.
              sampling_cpu_ratio: cpu.host / cpu.bare,
              sampling_host_cpu_us: cpu.host / host.length,
              sampling_direct_cpu_us: cpu.bare / bare.length,
            };
          },
        },
        log,
      );
    });
  } finally {
    await api.close();
  }
}
