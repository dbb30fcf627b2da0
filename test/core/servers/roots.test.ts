// Folders shared with a server as its roots. Hostile input tried through servers:setRoots: Steward's own data folder,
// ~/.ssh and a folder inside it (under a stand-in home folder), the data folder spelt data/../data, a link into ~/.ssh,
// a relative path, a missing folder, and ~/.config/gh where XDG_CONFIG_HOME moves ~/.config. The filesystem root and the home folder itself stay allowed: a root grants
// nothing, and the hidden locations inside them stay hidden, as they do for write grants.
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { undoAfterEach } from '../../helpers/cleanup.js';
import { makeHostFor, tempDir } from '../../helpers/host.js';
import { stringContaining } from '../../helpers/matchers.js';

const cleanup = undoAfterEach();

async function setup(env?: Record<string, string>) {
  const home = tempDir('steward-roots-home-');
  mkdirSync(join(home, '.ssh', 'keys'), { recursive: true });
  mkdirSync(join(home, 'work'), { recursive: true });
  const t = await makeHostFor(cleanup, { homeDir: home, ...(env ? { env: { HOME: home, ...env } } : {}) });
  const view = await t.host.servers.add({ name: 'r', config: { transport: 'stdio', command: 'node', args: [], env: {} } });
  const setRoots = (...paths: string[]) => t.host.dispatch('servers:setRoots', { serverId: view.id, roots: paths.map((path) => ({ path })) });
  return { t, home, id: view.id, setRoots };
}

describe('servers:setRoots', () => {
  it("refuses Steward's data folder, however it is spelt, with grant_refused", async () => {
    const { t, setRoots } = await setup();
    const data = join(t.dir, 'data');
    for (const path of [data, `${data}/../data`, `${data}/`, join(data, 'bundles')]) {
      expect(await setRoots(path)).toMatchObject({ ok: false, code: 'grant_refused', message: stringContaining("Steward's own data") });
    }
  });

  it('refuses ~/.ssh, a folder inside it and a link into it, naming what it holds', async () => {
    const { home, setRoots } = await setup();
    const link = join(home, 'work', 'keys-link');
    symlinkSync(join(home, '.ssh'), link);
    for (const path of [join(home, '.ssh'), join(home, '.ssh', 'keys'), `${home}/work/../.ssh`, link]) {
      expect(await setRoots(path)).toMatchObject({ ok: false, code: 'grant_refused', message: stringContaining('SSH keys') });
    }
  });

  it('refuses a hidden location in the folder XDG_CONFIG_HOME names, as it does under ~/.config', async () => {
    const config = tempDir('steward-roots-config-');
    mkdirSync(join(config, 'gh'));
    const { setRoots } = await setup({ XDG_CONFIG_HOME: config });
    expect(await setRoots(join(config, 'gh'))).toMatchObject({ ok: false, code: 'grant_refused', message: stringContaining('GitHub CLI credentials') });
  });

  it('keeps a normal folder by its normalised path, once; allows the home folder and the filesystem root', async () => {
    const { t, home, id, setRoots } = await setup();
    const work = join(home, 'work');
    const reply = await setRoots(work, `${home}/work/../work/`, home, '/');
    expect(reply).toMatchObject({ ok: true, data: { roots: [{ path: work }, { path: home }, { path: '/' }] } });
    expect(t.host.servers.get(id).roots.map((r) => r.path)).toEqual([work, home, '/']);
    expect(t.host.audit.list({ limit: 1, kind: 'roots.changed' })[0]?.data).toEqual({ roots: [work, home, '/'] });
  });

  it('refuses a relative path and a missing folder with invalid_payload, and keeps the roots it had', async () => {
    const { t, home, id, setRoots } = await setup();
    await setRoots(join(home, 'work'));
    expect(await setRoots('work')).toMatchObject({ ok: false, code: 'invalid_payload' });
    expect(await setRoots(join(home, 'missing'))).toMatchObject({ ok: false, code: 'invalid_payload' });
    expect(t.host.servers.get(id).roots).toEqual([{ path: join(home, 'work') }]);
  });
});
