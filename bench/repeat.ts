// Runs a comparison as repeated, interleaved repetitions until its headline figures are steady or its time is up, and
// reports each figure as the median of the repetitions with their spread.
import { median, nextStep, spreadOf, type StopRule, type StopVerdict } from './stats.js';

export interface Figure {
  value: number;
  min: number;
  max: number;
  n: number;
}

export type Figures = Record<string, Figure>;

export interface Comparison {
  /** What the section measures, for the progress line and the warnings. */
  name: string;
  /** The figures whose spread decides whether more repetitions are taken. */
  headline: readonly string[];
  rule: StopRule;
  /** One repetition of the whole comparison; `rep` counts from 0 and decides which side goes first (see inOrder). */
  rep(rep: number): Promise<Record<string, number>>;
}

export interface Outcome {
  figures: Figures;
  verdict: StopVerdict;
  warnings: string[];
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

/** Figures taken once (a peak, a count): reported with n = 1 and no spread. */
export function single(values: Record<string, number>): Figures {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v, min: v, max: v, n: 1 }]));
}

/** Figures from repetitions gathered elsewhere: the median of each, with its spread. */
export function summarize(samples: Record<string, number[]>, digits = 3): Figures {
  const r = (x: number) => Math.round(x * 10 ** digits) / 10 ** digits;
  return Object.fromEntries(
    Object.entries(samples).map(([k, reps]) => {
      const s = spreadOf(reps);
      return [k, { value: r(median(reps)), min: r(s.min), max: r(s.max), n: s.n }];
    }),
  );
}

export async function repeat(c: Comparison, log: (line: string) => void): Promise<Outcome> {
  const samples: Record<string, number[]> = {};
  const started = Date.now();
  let verdict: StopVerdict = 'more';
  for (let rep = 0; verdict === 'more'; rep++) {
    for (const [k, v] of Object.entries(await c.rep(rep))) (samples[k] ??= []).push(v);
    verdict = nextStep(
      c.headline.map((h) => samples[h] ?? []),
      Date.now() - started,
      c.rule,
    );
  }
  const warnings: string[] = [];
  for (const h of c.headline) {
    const s = spreadOf(samples[h] ?? []);
    if (s.relative > c.rule.tolerance)
      warnings.push(`WARNING ${h}: spread ${pct(s.relative)} over ${s.n} repetitions, above ${pct(c.rule.tolerance)} (stopped at the time cap)`);
  }
  log(`${c.name}: ${Object.values(samples)[0]?.length ?? 0} repetitions in ${((Date.now() - started) / 1000).toFixed(1)} s, ${verdict}`);
  return { figures: summarize(samples), verdict, warnings };
}
