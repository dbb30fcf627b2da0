// A server flooding the host with form questions: peak host RSS growth during a 2,000-question flood, and the time per
// question at two flood sizes (their ratio shows handling is linear, taken over pairs of floods), each against a bare SDK
// client in the same run.
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { single, summarize, type Figures } from './repeat.js';
import { median, round } from './stats.js';

const HERE = dirname(fileURLToPath(import.meta.url));

/**
 * Pairs of floods the host takes, the two sizes alternating which goes first (small–large, large–small, …), so what
 * drifts over the child's life (the JIT warming, the machine's load) falls on both sizes alike.
 */
const HOST_PAIRS = 3;

export interface FloodRun {
  size: number;
  /** Wall-clock time of the flood. */
  ms: number;
  /** CPU time of the process that took it (every thread), over the same span. */
  cpuMs: number;
  peak: number;
  /** Questions answered (declined by the listener); the rest were refused at the server's cap. */
  answered: number;
}

/** How many of the flood's questions were answered (declined) rather than refused, from the tool's result text. */
export function answeredIn(result: unknown): number {
  const content = (result as { content?: unknown } | null)?.content;
  const text = Array.isArray(content) ? (content as Array<{ type?: unknown; text?: unknown }>).find((c) => c.type === 'text')?.text : undefined;
  let answered: unknown;
  try {
    answered = typeof text === 'string' ? (JSON.parse(text) as { answered?: unknown } | null)?.answered : undefined;
  } catch {
    answered = undefined;
  }
  if (typeof answered !== 'number') throw new Error(`the flood tool's result does not say how many questions were answered: ${JSON.stringify(result)}`);
  return answered;
}

function child(mode: 'host' | 'bare', sizes: number[]): Promise<FloodRun[]> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--expose-gc', join(HERE, 'flood-child.js'), mode, ...sizes.map(String)],
      { timeout: 600_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) => {
        if (error) {
          reject(new Error(`The flood bench's ${mode} child failed: ${error.message}`));
          return;
        }
        resolve((JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { runs?: FloodRun[] }).runs ?? []);
      },
    );
  });
}

/** Each pair's time per question at the large size over that at the small one, in the order the pairs ran. */
export function pairRatios(runs: readonly FloodRun[], small: number, large: number, time: 'ms' | 'cpuMs'): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < runs.length; i += 2) {
    const pair = runs.slice(i, i + 2);
    const at = (size: number) => pair.find((r) => r.size === size);
    const [s, l] = [at(small), at(large)];
    if (s && l) out.push(l[time] / large / (s[time] / small));
  }
  return out;
}

export async function flood(small: number, large: number): Promise<Figures> {
  const bare = await child('bare', [small, large]);
  const order = Array.from({ length: HOST_PAIRS }, (_, i) => (i % 2 === 0 ? [small, large] : [large, small])).flat();
  const host = await child('host', order);
  const mb = (bytes: number) => round(bytes / (1024 * 1024), 1);
  const perQuestion = (runs: readonly FloodRun[], size: number) => runs.filter((r) => r.size === size).map((r) => r.ms / size);
  const peakOf = (runs: readonly FloodRun[]) => Math.max(...runs.filter((r) => r.size === large).map((r) => r.peak));
  const bareLarge = median(perQuestion(bare, large));
  return {
    // Per question at each size and the ratio of each pair: medians over the host's pairs, with their spread.
    ...summarize({
      [`flood_per_question_ms_${small}`]: perQuestion(host, small),
      [`flood_per_question_ms_${large}`]: perQuestion(host, large),
      flood_linearity_ratio: pairRatios(host, small, large, 'cpuMs'),
      flood_wall_linearity_ratio: pairRatios(host, small, large, 'ms'),
      flood_per_question_vs_bare: perQuestion(host, large).map((ms) => ms / bareLarge),
      // How many of each flood's questions took the whole path (an inbox item, the listener's decline) rather than being
      // refused at the cap of 20 waiting: the listener frees the slots once per turn of the event loop, so this moves in
      // steps of 20 with how the two processes were scheduled, and an answered question costs far more CPU (README).
      [`flood_answered_${small}`]: host.filter((r) => r.size === small).map((r) => r.answered),
      [`flood_answered_${large}`]: host.filter((r) => r.size === large).map((r) => r.answered),
    }),
    ...single({
      // The highest peak of any of the host's large floods.
      flood_rss_growth_mb: mb(peakOf(host)),
      flood_bare_rss_growth_mb: mb(peakOf(bare)),
      flood_bare_linearity_ratio: round(median(pairRatios(bare, small, large, 'cpuMs'))),
    }),
  };
}
