// steward calls: the server's call history as the CLI's own calls left it, newest first, with the outcome of each.
// Hostile input tried: a limit that is not a number, a server that does not exist.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { steward } from '../helpers/cli.js';
import { tempDir } from '../helpers/host.js';
import { EVERYTHING, NODE } from '../helpers/paths.js';

let dir: string;
let home: string;
beforeAll(async () => {
  dir = tempDir('steward-calls-cli-');
  home = join(dir, 'data');
  expect((await steward(home, ['servers', 'add', 'everything', '--no-sandbox', '--', NODE, EVERYTHING, 'stdio'])).code).toBe(0);
  expect((await steward(home, ['consent', 'approve', 'everything', '--yes'])).code).toBe(0);
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('steward calls', { timeout: 300_000 }, () => {
  it('lists the calls made, newest first, with their arguments and outcome', async () => {
    expect((await steward(home, ['call', 'everything', 'echo', '--args', '{"message":"first"}'])).code).toBe(0);
    expect((await steward(home, ['call', 'everything', 'get-sum', '--args', '{"a":2,"b":3}'])).code).toBe(0);

    const listed = await steward(home, ['calls', 'everything', '--json']);
    expect(listed.code).toBe(0);
    const data = (JSON.parse(listed.stdout) as { data: Array<{ tool: string; arguments: unknown; error: unknown; asTask: boolean }> }).data;
    expect(data.map((c) => [c.tool, c.arguments, c.error, c.asTask])).toEqual([
      ['get-sum', { a: 2, b: 3 }, null, false],
      ['echo', { message: 'first' }, null, false],
    ]);

    const one = await steward(home, ['calls', 'everything', '--tool', 'echo']);
    expect(one.stdout).toContain('{"message":"first"}');
    expect(one.stdout).not.toContain('get-sum');

    expect((await steward(home, ['calls', 'everything', '--limit', 'lots'])).code).toBe(2);
    expect((await steward(home, ['calls', 'nobody'])).code).toBe(4);
  });
});
