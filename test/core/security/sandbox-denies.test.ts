// On Linux the runner leaves out the denyRead entries that are not there, since the runtime mounts nothing for them and
// only pays for resolving them. These tests hold the runtime to that, and the runner to checking at every launch.
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SandboxManager } from '@anthropic-ai/sandbox-runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { createOsSandbox, type SandboxRequest, type SandboxRunner } from '../../../main/core/security/index.js';
import { presentPaths } from '../../../main/core/security/sandbox-runner.js';
import { tempDir } from '../../helpers/host.js';
import { NODE } from '../../helpers/paths.js';

let sandbox: SandboxRunner | undefined;
afterEach(async () => {
  await sandbox?.dispose();
  sandbox = undefined;
});

/** A folder with a denied folder and file, and entries of every kind the runtime reads as absent. */
function locations() {
  const root = tempDir('steward-denies-');
  mkdirSync(join(root, 'secrets'));
  writeFileSync(join(root, 'secrets', 'key'), 'PRIVATE KEY');
  writeFileSync(join(root, 'token'), 'TOKEN');
  symlinkSync(join(root, 'nowhere'), join(root, 'dangling'));
  symlinkSync(join(root, 'loop-b'), join(root, 'loop-a'));
  symlinkSync(join(root, 'loop-a'), join(root, 'loop-b'));
  const present = [join(root, 'secrets'), join(root, 'token')];
  // Missing (ENOENT), below a file (ENOTDIR), a link to nothing (ENOENT) and a link loop (ELOOP).
  const absent = [join(root, 'missing'), join(root, 'token', 'inner'), join(root, 'dangling'), join(root, 'loop-a')];
  return { root, present, absent };
}

function request(root: string, denyRead: readonly string[], argv: readonly string[] = [NODE, '-e', '']): SandboxRequest {
  const tmp = join(root, 'tmp');
  mkdirSync(tmp, { recursive: true });
  return { argv, env: {}, cwd: root, tempDir: tmp, denyRead, allowRead: [tmp], allowWrite: [tmp], denyWrite: [], allowedDomains: [] };
}

describe.runIf(process.platform === 'linux')('denyRead entries that are not there (Linux)', () => {
  it('leaves out exactly the entries the runtime reads as absent', () => {
    const { present, absent } = locations();
    expect(presentPaths([...absent, ...present])).toEqual(present);
  });

  it('gets the same bubblewrap command from the runtime with and without the absent entries', async () => {
    const { root, present, absent } = locations();
    sandbox = createOsSandbox();
    expect((await sandbox.support()).kind).toBe('available');
    // Starts the runtime with Steward's own base policy, as any launch does.
    (await sandbox.wrap(request(root, present))).release();
    const asked = (denyRead: string[]) =>
      SandboxManager.wrapWithSandboxArgv(
        `'${NODE}' -e ''`,
        undefined,
        { filesystem: { denyRead, allowRead: [], allowWrite: [join(root, 'tmp')], denyWrite: [] } },
        undefined,
        root,
        {
          commandId: 'same-run',
        },
      );
    const whole = (await asked([...absent.slice(0, 2), ...present, ...absent.slice(2)])).argv;
    const left = (await asked(present)).argv;
    // Tried: the whole list against the present entries alone. The present ones are in it, so the two are not both empty.
    expect(whole.join('\n')).toContain(join(root, 'secrets'));
    expect(left).toEqual(whole);
  });

  it('hides a location created after an earlier launch, at the next launch', async () => {
    const { root } = locations();
    const later = join(root, 'later');
    const read = [
      NODE,
      '-e',
      `try { process.stdout.write(require('fs').readFileSync(${JSON.stringify(join(later, 'key'))}, 'utf8')) } catch (e) { process.stdout.write('denied:' + e.code) }`,
    ];
    sandbox = createOsSandbox();
    expect((await sandbox.support()).kind).toBe('available');
    const first = await sandbox.wrap(request(root, [later], read));
    first.release();
    mkdirSync(later);
    writeFileSync(join(later, 'key'), 'PRIVATE KEY');
    const second = await sandbox.wrap(request(root, [later], read));
    try {
      const run = spawnSync(second.file, second.args, { cwd: root, encoding: 'utf8', timeout: 30_000 });
      // Tried: reading the file, which exists now and was absent when the first launch was wrapped.
      expect(run.stdout).toMatch(/^denied:/);
    } finally {
      second.release();
    }
  });
});
