// A writer process killed with SIGKILL mid-stream: the file stays sound and every write it reported survives.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../main/core/store/index.js';
import { FIXTURES, NODE } from '../../helpers/paths.js';
import { tempDbDir, type TempDir } from './temp-store.js';

const WRITER = join(FIXTURES, 'store-writer.mjs');

let tmp: TempDir | undefined;
const children = new Set<ChildProcess>();
afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  tmp?.cleanup();
  tmp = undefined;
});

/** Starts the writer, kills it once it has reported `after` committed ids, and returns every id it reported. */
function writeUntilKilled(file: string, after: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [WRITER, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    const printed: number[] = [];
    let pending = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      // A line cut short by the kill is not a report.
      pending = lines.pop() ?? '';
      for (const line of lines) printed.push(Number(line));
      if (printed.length >= after && child.signalCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => void (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      children.delete(child);
      if (signal === 'SIGKILL') resolve(printed);
      else reject(new Error(`the writer stopped on its own (code ${code}, signal ${signal}): ${stderr}`));
    });
  });
}

describe('store crash safety', () => {
  it('keeps every reported write and whole transactions across three SIGKILLs', async () => {
    tmp = tempDbDir();
    const reported: number[] = [];
    for (const after of [50, 200, 1000]) {
      const printed = await writeUntilKilled(tmp.file, after);
      expect(printed.length).toBeGreaterThanOrEqual(after);
      expect(printed.every((id) => Number.isInteger(id) && id > 0)).toBe(true);
      reported.push(...printed);

      const store = openStore(tmp.file);
      try {
        expect(store.integrityCheck()).toBe('ok');
        const stored = new Set(store.db.prepare('SELECT id FROM audit_events').pluck().all() as number[]);
        expect(reported.filter((id) => !stored.has(id))).toEqual([]);
        const torn = store.db
          .prepare(
            `SELECT json_extract(data, '$.pid') AS pid, json_extract(data, '$.round') AS round,
                    json_extract(data, '$.batch') AS batch, count(*) AS n
             FROM audit_events GROUP BY pid, round HAVING n != batch`,
          )
          .all();
        expect(torn).toEqual([]);
      } finally {
        store.close();
      }
    }
    expect(new Set(reported).size).toBe(reported.length);
  });
});
