// Consent covers what runs: changing the value of any variable that steers a loader (NODE_OPTIONS, PYTHON*, LD_*, GCONV_PATH,
// npm_config_*, PIP_*, HOME…) refuses the start until the user consents again, and the consent screen flags the variable.
// Also the sandbox on/off choice and each kind of grant. Hostile values tried: a preload library, a registry that serves
// other code, a user base full of other Python packages.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createOsSandbox } from '../../../main/core/security/index.js';
import { makeHost, type TestHost } from '../../helpers/host.js';
import { LOADER_VARIABLES } from '../../helpers/launch.js';
import { FIXTURES, NODE } from '../../helpers/paths.js';

let t: TestHost;
beforeAll(async () => {
  t = await makeHost();
});
afterAll(async () => {
  await t.close();
});

const PROBE = join(FIXTURES, 'probe-server.mjs');
const harmless = (name: string) =>
  name === 'PATH' ? `/usr/bin:/bin:${process.env.PATH ?? ''}` : name === 'HOME' ? t.dir : name === 'NODE_OPTIONS' ? '--no-warnings' : `/safe/${name}`;
const hostile = (name: string) =>
  name === 'PATH'
    ? `/tmp/evil/bin:/usr/bin:/bin:${process.env.PATH ?? ''}`
    : name === 'HOME'
      ? join(t.dir, 'other')
      : name === 'NODE_OPTIONS'
        ? '--no-deprecation'
        : `/tmp/evil/${name}`;

// Each case adds a server of its own, as a user may start several at once: the cases run side by side, and each asserts
// through its own `expect`, so a failure is reported against the variable that caused it.
describe.concurrent('consent over variable values', () => {
  it.for(LOADER_VARIABLES)('changing %s refuses the start until consent is given again', async (name, { expect }) => {
    const { host } = t;
    const view = await host.servers.add({
      name: `probe-${name}`,
      config: { transport: 'stdio', command: NODE, args: [PROBE], env: { [name]: harmless(name) } },
      sandbox: { enabled: false },
    });
    const first = await host.servers.consentRequest(view.id);
    expect(first.spec.flaggedEnv.map((f) => f.name)).toContain(name);
    expect(first.findings.map((f) => `${f.code}:${f.evidence.split('=')[0]}`)).toContain(`env_injection:${name}`);
    expect((await host.servers.decideConsent(view.id, first.spec.hash, 'approve', 'user')).status).toBe('running');
    await host.servers.stop(view.id);

    await host.servers.update(view.id, { config: { transport: 'stdio', command: NODE, args: [PROBE], env: { [name]: hostile(name) } } });
    const refused = await host.servers.start(view.id);
    expect(refused.status).toBe('awaiting_consent');
    expect(refused.pid).toBeNull();
    await expect(host.tools.call({ serverId: view.id, name: 'env', arguments: {} })).rejects.toMatchObject({ code: 'consent_required' });
    const again = await host.servers.consentRequest(view.id);
    expect(again.changes).toEqual([`The value of ${name} changed`]);
    expect((await host.servers.decideConsent(view.id, again.spec.hash, 'approve', 'user')).status).toBe('running');
    await host.servers.remove(view.id);
  });

  it('an ordinary secret value rotated also asks again, and never appears in the consent record', async ({ expect }) => {
    const { host } = t;
    const view = await host.servers.add({
      name: 'secretive',
      config: { transport: 'stdio', command: NODE, args: [PROBE], env: { API_TOKEN: 'tok-one-111' } },
      sandbox: { enabled: false },
    });
    const first = await host.servers.consentRequest(view.id);
    await host.servers.decideConsent(view.id, first.spec.hash, 'approve', 'user');
    await host.servers.stop(view.id);
    await host.servers.update(view.id, { config: { transport: 'stdio', command: NODE, args: [PROBE], env: { API_TOKEN: 'tok-two-222' } } });
    expect((await host.servers.start(view.id)).status).toBe('awaiting_consent');
    const rows = host.store.db.prepare('SELECT spec FROM consents').all() as { spec: string }[];
    expect(rows.map((r) => r.spec).join()).not.toMatch(/tok-one|tok-two/);
    await host.servers.remove(view.id);
  });

  it.for([
    { name: 'turning the sandbox off', patch: { enabled: false } },
    { name: 'a write grant', patch: { writePaths: ['/tmp'] } },
    { name: 'a domain', patch: { allowedDomains: ['example.com'] } },
  ])('$name asks again (real sandbox)', async ({ patch }, { expect, onTestFinished }) => {
    const sandboxed = await makeHost({ sandbox: createOsSandbox() });
    onTestFinished(() => sandboxed.close());
    const { host } = sandboxed;
    const view = await host.servers.add({ name: `grants-${Object.keys(patch)[0]}`, config: { transport: 'stdio', command: NODE, args: [PROBE], env: {} } });
    const first = await host.servers.consentRequest(view.id);
    await host.servers.decideConsent(view.id, first.spec.hash, 'approve', 'user');
    await host.servers.stop(view.id);
    await host.servers.update(view.id, { sandbox: patch });
    expect((await host.servers.start(view.id)).status).toBe('awaiting_consent');
  });
});
