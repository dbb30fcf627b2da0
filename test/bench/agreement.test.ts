// Comparing back-to-back bench runs: only runs of the same commit, the last three, each figure's range and how far the
// farthest run lies from their median; a kept file that is damaged or missing is read as far as it can be.
// Tried: a cut-short line, a line that is not a run, other commits' runs, a figure one run did not measure.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agreement, compareRuns, keepRun, readRuns, type Run } from '../../bench/agreement.js';
import { tempDir } from '../helpers/host.js';

const run = (commit: string, values: Record<string, number>, at = '2026-12-05T00:00:00Z'): Run => ({ at, commit, values });

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('agreement between runs', () => {
  it('compares the last three runs of the commit, with their range and the largest distance from their median', () => {
    const runs = [run('a', { r: 9 }), run('a', { r: 1.0 }), run('b', { r: 5 }), run('a', { r: 1.08 }), run('a', { r: 1.02 })];
    expect(agreement(runs, 'a', ['r'])).toEqual([{ name: 'r', values: [1.0, 1.08, 1.02], range: 0.08, offMedian: 0.06 }]);
  });

  it('says nothing of a figure fewer than three runs of the commit measured', () => {
    const runs = [run('a', { r: 1, s: 2 }), run('a', { r: 1 }), run('a', { r: 1, s: 2 }), run('b', { s: 2 })];
    expect(agreement(runs, 'a', ['r', 's']).map((a) => a.name)).toEqual(['r']);
    expect(agreement(runs, 'c', ['r'])).toEqual([]);
  });

  it('reads back what it keeps, skipping lines that are not runs, and a missing file as no runs', () => {
    dir = tempDir('steward-bench-runs-');
    const file = join(dir, 'nested', 'runs.jsonl');
    expect(readRuns(file)).toEqual([]);
    keepRun(file, run('a', { r: 1 }));
    writeFileSync(file, `${JSON.stringify(run('a', { r: 1 }))}\n{"at":"x","commit":\n[1,2]\n{"at":"x"}\n`);
    keepRun(file, run('a', { r: 2 }));
    expect(readRuns(file).map((r) => r.values.r)).toEqual([1, 2]);
  });

  it('keeps each full run and prints the comparison from the third run of a commit on', () => {
    dir = tempDir('steward-bench-runs-');
    const file = join(dir, 'runs.jsonl');
    const headline = ['toolcall_p50_ratio', 'sampling_round_ratio'];
    expect(compareRuns(file, 'a', { toolcall_p50_ratio: 1.0, other: 7 }, headline)).toContain('are compared once 3 full runs');
    compareRuns(file, 'a', { toolcall_p50_ratio: 1.04, sampling_round_ratio: 1.1 }, headline);
    const said = compareRuns(file, 'a', { toolcall_p50_ratio: 1.12, sampling_round_ratio: 1.1 }, headline);
    expect(said).toMatch(/toolcall_p50_ratio +1 +1.04 +1.12 +range 0.12 +DIFFER/);
    expect(said).not.toContain('sampling_round_ratio');
    expect(readRuns(file).map((r) => Object.keys(r.values))).toEqual([['toolcall_p50_ratio'], headline, headline]);
  });
});
