// One sampling round through the host (received → validated, recorded, sent to the model API, answered) against
// the Anthropic SDK calling the same local Messages API stand-in directly, measured in several fresh processes.
import { execFile, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Anthropic from '@anthropic-ai/sdk';
import { present } from '../shared/errors.js';
import { withHost, unsandboxed } from './core.js';
import { summarize, type Outcome } from './repeat.js';
import { inOrder, nextStep, percentile, spreadOf, timeEach, type StopRule, type StopVerdict } from './stats.js';

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

/**
 * Processes the repetitions are spread over, at the least, and repetitions in each. A whole process can settle into a
 * state that favours one side: in two of five full bench runs every repetition of the one process read 1.22–1.34 where
 * other processes read 1.13–1.22, its direct calls faster and its host rounds as fast as ever (what the JIT made of the
 * code both sides share, or where the scheduler put the process against the stand-in's). Taken from three processes,
 * the median repetition comes from the state most processes are in, not from whichever the one process drew.
 */
const MIN_CHILDREN = 3;
const REPS_PER_CHILD = 3;

const HERE = dirname(fileURLToPath(import.meta.url));

const HEADLINE = 'sampling_round_ratio';

export async function samplingRounds(rule: StopRule, log: (line: string) => void): Promise<Outcome> {
  const samples: Record<string, number[]> = {};
  const started = Date.now();
  let children = 0;
  let verdict: StopVerdict;
  do {
    // Each process goes on alternating which side goes first from where the one before it left off.
    const reps = await child(children * REPS_PER_CHILD, REPS_PER_CHILD);
    children++;
    for (const [k, values] of Object.entries(reps)) (samples[k] ??= []).push(...values);
    verdict = nextStep([samples[HEADLINE] ?? []], Date.now() - started, rule);
  } while (children < MIN_CHILDREN || verdict === 'more');
  const warnings: string[] = [];
  const spread = spreadOf(samples[HEADLINE] ?? []);
  if (spread.relative > rule.tolerance)
    warnings.push(
      `WARNING ${HEADLINE}: spread ${(spread.relative * 100).toFixed(1)} % over ${spread.n} repetitions, above ${(rule.tolerance * 100).toFixed(1)} % (stopped at the time cap)`,
    );
  log(`sampling rounds: ${spread.n} repetitions in ${children} processes in ${((Date.now() - started) / 1000).toFixed(1)} s, ${verdict}`);
  return { figures: summarize(samples), verdict, warnings };
}

/** One fresh process's repetitions (see sampling-child.ts), each figure's values in the order taken. */
function child(firstRep: number, reps: number): Promise<Record<string, number[]>> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--expose-gc', join(HERE, 'sampling-child.js'), String(firstRep), String(reps)],
      { timeout: 300_000, maxBuffer: 4 * 1024 * 1024 },
      (error, stdout) => {
        if (error) {
          reject(new Error(`The sampling bench's child failed: ${error.message}`));
          return;
        }
        resolve((JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { samples?: Record<string, number[]> }).samples ?? {});
      },
    );
  });
}

/** Repetitions `firstRep` to `firstRep + reps - 1` of the comparison, in this process, after warming both sides up. */
export async function roundsInProcess(firstRep: number, reps: number): Promise<Record<string, number[]>> {
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
      const oneRep = async (rep: number): Promise<Record<string, number>> => {
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
      };
      const samples: Record<string, number[]> = {};
      for (let rep = firstRep; rep < firstRep + reps; rep++) for (const [k, v] of Object.entries(await oneRep(rep))) (samples[k] ??= []).push(v);
      return samples;
    });
  } finally {
    await api.close();
  }
}
