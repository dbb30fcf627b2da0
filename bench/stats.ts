// Percentiles, spreads, the interleaving order and the stop rule of the repeated comparisons, and timing helpers.

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** The middle value; with an even count, the mean of the two middle ones. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
}

/** Repetitions whose range is the reported spread: all of the first five, then the central half (never fewer than five). */
export const SPREAD_WINDOW = 5;

export interface Spread {
  min: number;
  max: number;
  /** (max − min) / median: 0.1 is a spread of 10 %. */
  relative: number;
  /** Repetitions taken. */
  n: number;
}

/**
 * The min–max of the repetitions. Up to five, that is every repetition; past five, the central half of them in sorted
 * order (at least five), so a repetition caught by a burst of load elsewhere widens the spread of a short run but
 * further repetitions can narrow it again, where the range of all of them could only grow.
 */
export function spreadOf(reps: readonly number[]): Spread {
  const n = reps.length;
  if (n === 0) return { min: Number.NaN, max: Number.NaN, relative: Number.NaN, n };
  const sorted = [...reps].sort((a, b) => a - b);
  const keep = Math.min(n, Math.max(SPREAD_WINDOW, Math.ceil(n / 2)));
  const start = Math.floor((n - keep) / 2);
  const min = sorted[start] ?? Number.NaN;
  const max = sorted[start + keep - 1] ?? Number.NaN;
  const mid = median(reps);
  return { min, max, relative: mid === 0 ? (max === min ? 0 : Number.POSITIVE_INFINITY) : Math.abs((max - min) / mid), n };
}

/** Which side of a comparison runs first in repetition `rep` (from 0): the subject on even ones, the baseline on odd. */
export function firstSide(rep: number): 'subject' | 'baseline' {
  return rep % 2 === 0 ? 'subject' : 'baseline';
}

/** The two sides of repetition `rep` in the order they run. */
export function inOrder<T>(rep: number, subject: T, baseline: T): [T, T] {
  return firstSide(rep) === 'subject' ? [subject, baseline] : [baseline, subject];
}

export interface StopRule {
  /** Repetitions always taken (at least five for a headline figure). */
  min: number;
  /** Never more than this many. */
  max: number;
  /** No new repetition starts after this much time (ms) in the comparison, once `min` are done. */
  capMs: number;
  /** The largest relative spread accepted as steady. */
  tolerance: number;
}

export type StopVerdict = 'more' | 'steady' | 'capped';

/**
 * After each repetition: 'more' until `min` are done and while any watched figure's spread exceeds the tolerance;
 * 'steady' when every one is within it; 'capped' when spreads are still wide but the count or the time is used up.
 */
export function nextStep(watched: readonly (readonly number[])[], elapsedMs: number, rule: StopRule): StopVerdict {
  const n = Math.min(...watched.map((reps) => reps.length));
  if (n < rule.min) return 'more';
  if (watched.every((reps) => spreadOf(reps).relative <= rule.tolerance)) return 'steady';
  return n >= rule.max || elapsedMs >= rule.capMs ? 'capped' : 'more';
}

/**
 * A section's cap (seconds) on its extra repetitions within the whole run's budget: its own cap, but never more than
 * the time left once the sections after it have their planned share (`laterSeconds`); 0 when none is left, which still
 * lets the section take its minimum repetitions.
 */
export function capWithin(ownSeconds: number, leftMs: number, laterSeconds: number): number {
  return Math.max(0, Math.min(ownSeconds, leftMs / 1000 - laterSeconds));
}

export async function timeEach(count: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await fn();
    out.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return out;
}

/** One synchronous call, in milliseconds: no promise between the two clock reads. */
export function timeSync(fn: () => unknown): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * One synchronous call's CPU time in milliseconds: this process's, every thread, user and system. Unlike the wall
 * clock it leaves out the time the process waited while other processes had the core, which on a loaded machine is
 * most of a slow sample; the kernel counts run time in nanoseconds, so a call of tens of microseconds reads true.
 */
export function cpuSync(fn: () => unknown): number {
  const before = process.cpuUsage();
  fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

export async function timeOnce(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;
