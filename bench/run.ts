// npm run bench: every figure against a baseline measured in the same run; the last line is BENCH {json}.
import { createOsSandbox } from '../main/core/security/index.js';
import { SERVER, startTimes, toolCalls } from './core.js';
import { firstScreenTimes, memory } from './desktop.js';
import { npxStarts } from './npx-start.js';
import { flood } from './flood.js';
import { samplingRounds } from './sampling.js';
import { taskPages } from './task-pages.js';
import { pollCpu } from './task-poll.js';
import { taskWrites } from './task-writes.js';

const TARGETS: Record<string, [string, number]> = {
  toolcall_p50_ratio: ['<=', 1.15],
  start10_ratio: ['<=', 1.2],
  sampling_round_ratio: ['<=', 1.2],
  task_write_vs_raw: ['>=', 0.5],
  task_page_vs_raw: ['<=', 3],
  npx_first_ratio: ['<=', 1.5],
  npx_warm_ratio: ['<=', 1.5],
  flood_rss_growth_mb: ['<=', 100],
  flood_linearity_ratio: ['<=', 1.5],
};

async function main(): Promise<void> {
  const figures: Record<string, number> = {};
  const sandbox = await createOsSandbox().support();
  Object.assign(figures, await toolCalls(Number(process.env.BENCH_CALLS ?? 400)));
  Object.assign(figures, await startTimes(Number(process.env.BENCH_ROUNDS ?? 3), sandbox.kind === 'available'));
  // Real downloads from the npm registry: one round by default, they take tens of seconds each.
  Object.assign(figures, await npxStarts(Number(process.env.BENCH_NPX_ROUNDS ?? 1), sandbox.kind === 'available'));
  Object.assign(figures, await samplingRounds(Number(process.env.BENCH_SAMPLING ?? 200)));
  Object.assign(figures, taskWrites(200, Number(process.env.BENCH_TASK_BATCHES ?? 20)));
  Object.assign(figures, await pollCpu(Number(process.env.BENCH_POLL_SECONDS ?? 10)));
  // The figure's name says a million rows; BENCH_TASK_ROWS is for quick runs while working on the bench.
  Object.assign(figures, taskPages(Number(process.env.BENCH_TASK_ROWS ?? 1_000_000), Number(process.env.BENCH_PAGE_LAPS ?? 10)));
  Object.assign(figures, await firstScreenTimes(Number(process.env.BENCH_ROUNDS ?? 3)));
  Object.assign(figures, await memory(SERVER));
  Object.assign(figures, await flood(Number(process.env.BENCH_FLOOD_SMALL ?? 500), Number(process.env.BENCH_FLOOD ?? 2000)));

  const rows = Object.entries(figures).map(([name, value]) => {
    const target = TARGETS[name];
    const verdict = target
      ? (target[0] === '<=' ? value <= target[1] : value >= target[1])
        ? `target ${target[0]} ${target[1]}: met`
        : `target ${target[0]} ${target[1]}: MISSED`
      : '';
    return `${name.padEnd(28)} ${String(value).padStart(10)}  ${verdict}`;
  });
  process.stdout.write(`${rows.join('\n')}\n`);
  if (sandbox.kind !== 'available')
    process.stdout.write(`(sandboxed start not measured: ${sandbox.kind === 'missing' ? sandbox.reason : 'no sandbox on this OS'})\n`);
  process.stdout.write(`BENCH ${JSON.stringify(figures)}\n`);
}

await main();
