// steward prompts/prompt/resources/read/complete/watch/log-level as real processes against server-everything and the
// paging server. Hostile input tried: --arg without "=", a command named after an Object method, a bad log level.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitOf, steward, stewardChild, waitFor } from '../helpers/cli.js';
import { tempDir } from '../helpers/host.js';
import { EVERYTHING, FIXTURES, NODE } from '../helpers/paths.js';

let dir: string;
let home: string;
beforeAll(async () => {
  dir = tempDir('steward-bench-cli-');
  home = join(dir, 'data');
  for (const [name, args] of [
    ['everything', [EVERYTHING, 'stdio']],
    ['paging', [join(FIXTURES, 'paging-server.mjs')]],
  ] as const) {
    expect((await steward(home, ['servers', 'add', name, '--no-sandbox', '--', NODE, ...args])).code).toBe(0);
    expect((await steward(home, ['consent', 'approve', name, '--yes'])).code).toBe(0);
  }
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const data = (stdout: string) => (JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { data: unknown }).data;

// Each command is a whole process that starts its server: on a busy machine that takes a while.
describe('steward workbench commands', { timeout: 300_000 }, () => {
  it('fills a prompt, completes an argument in context, reads a resource and saves a binary one', async () => {
    const filled = await steward(home, ['prompt', 'everything', 'args-prompt', '--arg', 'city=Lisbon', '--arg', 'state=PT']);
    expect(filled.code).toBe(0);
    expect(filled.stdout).toContain('Lisbon');

    const names = await steward(home, ['complete', 'everything', '--prompt', 'completable-prompt', 'name', '', '--context', 'department=Support']);
    expect(names.stdout.trim().split('\n')).toEqual(['John', 'Kim', 'Lee']);

    const text = await steward(home, ['read', 'everything', 'demo://resource/dynamic/text/2']);
    expect(text.stdout).toContain('Resource 2');

    const out = join(dir, 'blob.bin');
    expect((await steward(home, ['read', 'paging', 'page://r/0', '--out', out])).code).toBe(0);
    expect(readFileSync(out)).toEqual(Buffer.from([0, 1, 2, 255]));

    const bad = await steward(home, ['prompt', 'everything', 'args-prompt', '--arg', 'city']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--arg takes NAME=VALUE');
    expect((await steward(home, ['toString'])).code).toBe(2);
    expect((await steward(home, ['log-level', 'everything', 'loud'])).code).toBe(2);
    expect((await steward(home, ['log-level', 'everything', 'debug'])).code).toBe(0);
  });

  it('pages through resources with the printed cursor, and lists templates', async () => {
    const first = await steward(home, ['resources', 'paging']);
    expect(first.stdout).toContain('More: --cursor c10');
    const second = await steward(home, ['resources', 'paging', '--cursor', 'c10', '--json']);
    const page = data(second.stdout) as { nextCursor?: string; items: { uri: string }[] };
    expect(page.nextCursor).toBe('c20');
    expect(page.items[0]?.uri).toBe('page://r/10');
    const templates = await steward(home, ['resources', 'everything', '--templates']);
    expect(templates.stdout).toContain('demo://resource/dynamic/text/{resourceId}');
    const promptsPage = await steward(home, ['prompts', 'paging', '--json']);
    expect(data(promptsPage.stdout)).toMatchObject({ nextCursor: 'c3' });
  });

  it('watches a resource and prints updates until interrupted', async () => {
    const child = stewardChild(home, ['watch', 'paging', 'page://r/3']);
    try {
      await waitFor('the watch to start', () => child.output.stderr.includes('Watching page://r/3'), 120_000);
      // The paging server announces one update right after a subscribe.
      await waitFor('an update', () => child.output.stdout.includes('updated page://r/3'));
    } finally {
      child.kill('SIGINT');
      expect(await exitOf(child)).not.toBeNull();
    }
  });
});
