// A server flooding the host with form questions: peak host RSS growth during a 2,000-question flood, and the time per
// question at two flood sizes (their ratio shows handling is linear), each against a bare SDK client in the same run.
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { single, type Figures } from './repeat.js';
import { round } from './stats.js';

const HERE = dirname(fileURLToPath(import.meta.url));

function child(mode: 'host' | 'bare', sizes: number[]): Promise<Record<string, number>> {
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
        resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number>);
      },
    );
  });
}

export async function flood(small: number, large: number): Promise<Figures> {
  const bare = await child('bare', [small, large]);
  const host = await child('host', [small, large]);
  const mb = (bytes: number) => round(bytes / (1024 * 1024), 1);
  const perQuestion = (figures: Record<string, number>, size: number) => (figures[`ms_${size}`] ?? Number.NaN) / size;
  return single({
    flood_rss_growth_mb: mb(host[`peak_${large}`] ?? Number.NaN),
    flood_bare_rss_growth_mb: mb(bare[`peak_${large}`] ?? Number.NaN),
    [`flood_per_question_ms_${small}`]: round(perQuestion(host, small)),
    [`flood_per_question_ms_${large}`]: round(perQuestion(host, large)),
    flood_linearity_ratio: round(perQuestion(host, large) / perQuestion(host, small)),
    flood_bare_linearity_ratio: round(perQuestion(bare, large) / perQuestion(bare, small)),
    flood_per_question_vs_bare: round(perQuestion(host, large) / perQuestion(bare, large)),
  });
}
