// A container's mounts are checked by where they really lead on this disk, not only as written. Hostile input tried:
// a hidden folder reached through a symlink, through a symlinked folder with a name not yet there, through a relative
// path from the working folder, and a hidden folder that is itself a symlink mounted by its target. The configured
// `docker` writes a marker if it is ever run; the image carries its digest, so nothing is pinned.
import { chmodSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { undoAfterEach } from '../../helpers/cleanup.js';
import { makeHostFor, tempDir } from '../../helpers/host.js';

const undo = undoAfterEach();
const IMAGE = `mcp/img@sha256:${'a'.repeat(64)}`;

async function setup() {
  const home = tempDir('steward-home-');
  mkdirSync(join(home, '.ssh'));
  mkdirSync(join(home, 'project'));
  symlinkSync(join(home, '.ssh'), join(home, 'innocent'));
  // ~/.aws is itself a link to a folder elsewhere.
  const elsewhere = tempDir('steward-aws-');
  symlinkSync(elsewhere, join(home, '.aws'));
  const bin = tempDir('steward-config-bin-');
  const marker = join(bin, 'marker');
  writeFileSync(join(bin, 'docker'), `#!/bin/sh\necho "RAN $*" >> '${marker}'\nexit 1\n`);
  chmodSync(join(bin, 'docker'), 0o755);
  const t = await makeHostFor(undo, { homeDir: home, env: { HOME: home, PATH: bin } });
  const add = (name: string, mount: string[]) =>
    t.host.servers.add({ name, config: { transport: 'stdio', command: join(bin, 'docker'), args: ['run', '-i', ...mount, IMAGE], env: {}, cwd: home } });
  return { host: t.host, home, elsewhere, marker, add };
}

describe('container mounts, by where they lead', () => {
  it('refuses a hidden folder reached through a symlink, a relative path, or the target of a hidden link', async () => {
    const { host, home, elsewhere, marker, add } = await setup();
    for (const [name, mount] of [
      ['link', ['-v', `${home}/innocent:/keys:ro`]],
      ['link-attached', [`-v${home}/innocent:/keys:ro`]],
      ['link-new-name', ['--mount', `type=bind,src=${home}/innocent/not-yet,dst=/k`]],
      ['relative', ['-v', './.ssh:/keys']],
      ['hidden-link-target', ['-v', `${elsewhere}:/aws`]],
    ] as const) {
      const view = await add(name, [...mount]);
      await expect(host.servers.consentRequest(view.id), name).rejects.toMatchObject({ code: 'grant_refused' });
      expect(host.servers.get(view.id).lastError?.message).toMatch(/hidden from every server/);
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('still asks consent for an ordinary folder', async () => {
    const { host, home, marker, add } = await setup();
    const view = await add('project', ['-v', `${home}/project:/work`]);
    const request = await host.servers.consentRequest(view.id);
    expect(request.state).toBe('required');
    expect(request.spec.runner!.notes).toContain(`The container can read and write ${home}/project (mounted from this computer).`);
    expect(existsSync(marker)).toBe(false);
  });
});
