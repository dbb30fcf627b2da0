// --json is Steward's option only before `--`: after it come a server's own command and arguments, kept exactly.
// Hostile input tried: `steward servers add s -- mytool --json`, whose --json belongs to mytool.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { steward } from '../helpers/cli.js';
import { tempDir } from '../helpers/host.js';

let dir: string;
beforeAll(() => {
  dir = tempDir('steward-cli-json-flag-');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--json', () => {
  it('after -- is an argument of the server, not an output switch', async () => {
    const home = join(dir, 'data');
    const added = await steward(home, ['servers', 'add', 's', '--no-sandbox', '--', 'mytool', '--json', 'x']);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain('Added "s".');
    const shown = await steward(home, ['servers', 'show', 's', '--json']);
    expect((JSON.parse(shown.stdout) as { data: { command: string; args: string[] } }).data).toMatchObject({ command: 'mytool', args: ['--json', 'x'] });

    const both = await steward(home, ['--json', 'servers', 'add', 't', '--no-sandbox', '--', 'mytool', '--json']);
    expect((JSON.parse(both.stdout) as { ok: boolean; data: { args: string[] } }).data.args).toEqual(['--json']);
  });
});
