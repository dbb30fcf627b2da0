// npm run bench: every figure against a baseline measured in the same run, headline ratios as medians of interleaved
// repetitions with their spread; the last line is BENCH {json}.
import { createOsSandbox } from '../main/core/security/index.js';
import { SERVER, startTimes, toolCalls } from './core.js';
import { firstScreenTimes, memory } from './desktop.js';
import { npxStarts } from './npx-start.js';
import { flood } from './flood.js';
import type { Figures, Outcome } from './repeat.js';
import { samplingRounds } from './sampling.js';
import { scaleFigures } from './scale.js';
import type { StopRule } from './stats.js';
import { taskCenterFrames } from './task-center.js';
import { taskPages } from './task-pages.js';
import { pollCpu } from './task-poll.js';
import { taskWrites } from './task-writes.js';

const TARGETS: Record<string, [string, number]> = {
  toolcall_p50_ratio: ['<=', 1.1],
  toolcall_tracked_p50_ratio: ['<=', 1.2],
  sampling_round_ratio: ['<=', 1.2],
  start10_ratio: ['<=', 1.1],
  start10_sandboxed_ratio: ['<=', 1.35],
  task_write_vs_raw: ['>=', 0.5],
  task_page_vs_raw: ['<=', 3],
  npx_first_ratio: ['<=', 1.5],
  npx_warm_ratio: ['<=', 1.5],
  scale50_first_screen_ratio: ['<=', 1.3],
  scale50_rss_ratio: ['<=', 1.3],
  taskcenter_frame_p99_ms: ['<=', 16.7],
  poll200_cpu_above_idle_pct: ['<=', 3],
  flood_rss_growth_mb: ['<=', 100],
  flood_linearity_ratio: ['<=', 1.5],
};

/** A spread above this (10 %) gets a warning and, within the section's time cap, more repetitions. */
const TOLERANCE = 0.1;
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const rule = (min: number, max: number, capSeconds: number): StopRule => ({ min, max, capMs: capSeconds * 1000, tolerance: TOLERANCE });

function row(name: string, f: Figures[string]): string {
  const target = TARGETS[name];
  const verdict = target
    ? (target[0] === '<=' ? f.value <= target[1] : f.value >= target[1])
      ? `target ${target[0]} ${target[1]}: met`
      : `target ${target[0]} ${target[1]}: MISSED`
    : '';
  const spread = f.n > 1 ? `[${f.min}–${f.max}, n=${f.n}, ±${((50 * (f.max - f.min)) / (f.value || 1)).toFixed(1)} %]` : '';
  return `${name.padEnd(32)} ${String(f.value).padStart(10)}  ${spread.padEnd(34)} ${verdict}`;
}

async function main(): Promise<void> {
  const began = Date.now();
  const figures: Figures = {};
  const warnings: string[] = [];
  const log = (line: string) => process.stderr.write(`[${((Date.now() - began) / 1000).toFixed(0)} s] ${line}\n`);
  const failures: string[] = [];
  /** One section: its figures and warnings kept; a section that fails is reported and the others still run. */
  const take = async (name: string, section: () => Promise<Outcome | Figures> | Figures) => {
    try {
      const o = await section();
      if ('figures' in o && 'verdict' in o) {
        Object.assign(figures, o.figures);
        warnings.push(...(o.warnings as string[]));
      } else Object.assign(figures, o);
      log(`${name} done`);
    } catch (error) {
      failures.push(`FAILED ${name}: ${error instanceof Error ? error.message : String(error)}`);
      log(`${name} FAILED`);
    }
  };
  const sandbox = await createOsSandbox().support();
  const boxed = sandbox.kind === 'available';
  await take('tool calls', () => toolCalls(rule(5, 25, env('BENCH_CALLS_CAP_S', 25)), log));
  await take('starting ten servers', () => startTimes(rule(5, 11, env('BENCH_START_CAP_S', 50)), boxed, log));
  await take('sampling rounds', () => samplingRounds(rule(5, 25, env('BENCH_SAMPLING_CAP_S', 25)), log));
  // Real downloads from the npm registry: one round by default, they take tens of seconds each.
  await take('npx starts', () => npxStarts(env('BENCH_NPX_ROUNDS', 1), boxed));
  await take('task writes', () => taskWrites(200, env('BENCH_TASK_BATCHES', 20)));
  await take('200 tasks polled', () => pollCpu(env('BENCH_POLL_SECONDS', 10)));
  // The figure's name says a million rows; BENCH_TASK_ROWS is for quick runs while working on the bench.
  await take('task pages', () => taskPages(env('BENCH_TASK_ROWS', 1_000_000), env('BENCH_PAGE_LAPS', 10)));
  await take('first screen', () => firstScreenTimes(rule(5, 9, env('BENCH_SCREEN_CAP_S', 30)), log));
  await take('50 servers against 1', () => scaleFigures(rule(5, 7, env('BENCH_SCALE_CAP_S', 45)), SERVER, log));
  await take('memory', () => memory(SERVER));
  await take('task center frames', () => taskCenterFrames(env('BENCH_FRAME_SECONDS', 12)));
  await take('flood', () => flood(env('BENCH_FLOOD_SMALL', 500), env('BENCH_FLOOD', 2000)));

  const seconds = Math.round((Date.now() - began) / 1000);
  process.stdout.write(
    `${Object.entries(figures)
      .map(([name, f]) => row(name, f))
      .join('\n')}\n`,
  );
  if (!boxed) process.stdout.write(`(sandboxed start not measured: ${sandbox.kind === 'missing' ? sandbox.reason : 'no sandbox on this OS'})\n`);
  for (const w of [...warnings, ...failures]) process.stdout.write(`${w}\n`);
  process.stdout.write(`bench took ${seconds} s\n`);
  const values = Object.fromEntries(Object.entries(figures).map(([k, f]) => [k, f.value]));
  const spread = Object.fromEntries(Object.entries(figures).map(([k, f]) => [k, [f.min, f.max, f.n]]));
  process.stdout.write(`BENCH ${JSON.stringify({ ...values, spread, warnings: warnings.length, failed: failures.length, seconds })}\n`);
}

await main();
