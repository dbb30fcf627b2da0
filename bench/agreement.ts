// Whether back-to-back runs of the bench agree: each full run's headline figures are kept (a line per run, in a file
// git ignores), and a run reports, per headline ratio, how far it and the two runs before it on the same commit lie apart.
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { median, round } from './stats.js';

export interface Run {
  at: string;
  commit: string;
  values: Record<string, number>;
}

export interface Agreement {
  name: string;
  values: number[];
  /** Largest minus smallest. */
  range: number;
  /** How far the farthest run lies from the runs' median. */
  offMedian: number;
}

/** How many runs, this one included, are compared. */
export const RUNS_COMPARED = 3;
/** Runs agree when each lies within this of their median. */
export const AGREE_WITHIN = 0.05;

/** The runs kept so far; a line that cannot be read is skipped (the file is the user's, and may be cut short). */
export function readRuns(file: string): Run[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const runs: Run[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const run = JSON.parse(line) as Record<string, unknown> | null;
      if (typeof run?.at === 'string' && typeof run.commit === 'string' && typeof run.values === 'object' && run.values !== null)
        runs.push(run as unknown as Run);
    } catch {
      continue;
    }
  }
  return runs;
}

export function keepRun(file: string, run: Run): void {
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(run)}\n`);
}

/**
 * Per figure, the last RUNS_COMPARED runs on `commit` that measured it (the newest last), when there are that many;
 * runs of other commits measure other code and are not compared.
 */
export function agreement(runs: readonly Run[], commit: string, names: readonly string[]): Agreement[] {
  const same = runs.filter((r) => r.commit === commit);
  const out: Agreement[] = [];
  for (const name of names) {
    const values = same.flatMap((r) => (typeof r.values[name] === 'number' ? [r.values[name]] : [])).slice(-RUNS_COMPARED);
    if (values.length < RUNS_COMPARED) continue;
    const mid = median(values);
    out.push({
      name,
      values,
      range: round(Math.max(...values) - Math.min(...values)),
      offMedian: round(Math.max(...values.map((v) => Math.abs(v - mid)))),
    });
  }
  return out;
}

/**
 * Keeps a full run's headline figures (those named in `headline` that it measured) and says, per figure, how far this
 * run and the runs of the same commit before it lie apart. Returns the lines to print.
 */
export function compareRuns(file: string, commit: string, values: Record<string, number>, headline: readonly string[]): string {
  const kept = Object.fromEntries(headline.flatMap((k) => (typeof values[k] === 'number' ? [[k, values[k]]] : [])));
  keepRun(file, { at: new Date().toISOString(), commit, values: kept });
  const rows = agreement(readRuns(file), commit, Object.keys(kept));
  if (rows.length === 0) return `(runs are compared once ${RUNS_COMPARED} full runs of this commit are kept in ${file})\n`;
  const lines = rows.map((r) => {
    const verdict = r.offMedian <= AGREE_WITHIN ? 'agree' : 'DIFFER';
    return `  ${r.name.padEnd(30)} ${r.values.map((v) => String(v).padStart(7)).join(' ')}   range ${r.range}  ${verdict}`;
  });
  return `the last ${RUNS_COMPARED} full runs of this commit, each within ${AGREE_WITHIN} of their median?\n${lines.join('\n')}\n`;
}
