// A server flooding the host with form questions: peak host RSS growth during a 2,000-question flood, and the time per
// question at two flood sizes (their ratio shows handling is linear, taken in several processes over pairs of floods),
// each against a bare SDK client in the same run.
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_LIMITS } from '../main/core/limits.js';
import { single, summarize, type Figures } from './repeat.js';
import { median, round } from './stats.js';

/** The form questions the host keeps waiting for a server: in every flood the host takes, these are answered, the rest refused. */
export const HELD = SERVER_LIMITS.questions.form;

const HERE = dirname(fileURLToPath(import.meta.url));

/**
 * Host processes, each taking a warm-up flood of each size (not measured) and then pairs of floods, the two sizes
 * alternating which goes first (small–large, large–small, …), so what drifts over a process's life (the JIT warming,
 * the machine's load) falls on both sizes alike. A process's ratio moves with the noise of its own floods (a small
 * flood's time per question up to threefold from one to the next), and from one process to the next about as much as
 * that noise explains: two processes of six pairs each hold as steady as three of four, in less time.
 */
const HOST_CHILDREN = 2;
const HOST_PAIRS = 6;

export interface FloodRun {
  size: number;
  /** Wall-clock time of the flood. */
  ms: number;
  /** CPU time of the process that took it (every thread), over the flood and the 300 ms after it (work it left to timers). */
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

/** The measured floods of one child process, after `warm` floods of the sizes given that are not measured. */
function child(mode: 'host' | 'bare', warm: number[], sizes: number[]): Promise<FloodRun[]> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--expose-gc', join(HERE, 'flood-child.js'), mode, String(warm.length), ...[...warm, ...sizes].map(String)],
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

/**
 * The time per question at the large size over that at the small one, each over every flood of that size (total time
 * over total questions), so a flood that ran slow weighs as much as its share of the time. NaN without both sizes.
 */
export function sizeRatio(runs: readonly FloodRun[], small: number, large: number, time: 'ms' | 'cpuMs'): number {
  const perQuestion = (size: number) => {
    const of = runs.filter((r) => r.size === size);
    return of.reduce((sum, r) => sum + r[time], 0) / (of.length * size);
  };
  return perQuestion(large) / perQuestion(small);
}

export async function flood(small: number, large: number): Promise<Figures> {
  const bare = await child('bare', [], [small, large]);
  const order = Array.from({ length: HOST_PAIRS }, (_, i) => (i % 2 === 0 ? [small, large] : [large, small])).flat();
  const hosts: FloodRun[][] = [];
  for (let i = 0; i < HOST_CHILDREN; i++) hosts.push(await child('host', [small, large], order));
  const host = hosts.flat();
  for (const run of host) {
    if (run.answered !== HELD) throw new Error(`a flood of ${run.size} had ${run.answered} questions answered, not the ${HELD} the host keeps waiting`);
  }
  const mb = (bytes: number) => round(bytes / (1024 * 1024), 1);
  const perQuestion = (runs: readonly FloodRun[], size: number) => runs.filter((r) => r.size === size).map((r) => r.ms / size);
  const peakOf = (runs: readonly FloodRun[]) => Math.max(...runs.filter((r) => r.size === large).map((r) => r.peak));
  const bareLarge = median(perQuestion(bare, large));
  /**
   * A ratio over every measured flood of every host process (their total time per question at each size), with the
   * processes' own ratios as its spread: a process's ratio moves by a fifth from one to the next.
   */
  const pooled = (time: 'ms' | 'cpuMs') => {
    const each = hosts.map((runs) => sizeRatio(runs, small, large, time));
    return { value: round(sizeRatio(host, small, large, time)), min: round(Math.min(...each)), max: round(Math.max(...each)), n: each.length };
  };
  return {
    // Per question at each size: medians over the host's floods, with their spread.
    ...summarize({
      [`flood_per_question_ms_${small}`]: perQuestion(host, small),
      [`flood_per_question_ms_${large}`]: perQuestion(host, large),
      flood_per_question_vs_bare: perQuestion(host, large).map((ms) => ms / bareLarge),
    }),
    flood_linearity_ratio: pooled('cpuMs'),
    flood_wall_linearity_ratio: pooled('ms'),
    ...single({
      // The highest peak of any of the host's large floods.
      flood_rss_growth_mb: mb(peakOf(host)),
      flood_bare_rss_growth_mb: mb(peakOf(bare)),
      flood_bare_linearity_ratio: round(sizeRatio(bare, small, large, 'cpuMs')),
    }),
  };
}
