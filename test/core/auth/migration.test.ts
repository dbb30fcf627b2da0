// A protected resource that moves to another authorization server: registrations and tokens are kept per issuer, the
// move is followed with a fresh registration and sign-in at the new issuer (shown to the user before anything opens),
// and nothing the first issuer gave out ever reaches the second. Hostile: the second authorization server plays the
// attacker a compromised resource points to; it must not see the first one's client ID, secret or tokens, nor a
// pre-registered client's secret, nor a workload token meant for the first one.
import { describe, expect, it } from 'vitest';
import { FileSecretStore } from '../../../main/core/node/index.js';
import { makeHostFor, type TestHost } from '../../helpers/host.js';
import { completeSignIn, nextSignIn, startLab, until, type Lab, type LogEntry } from '../../helpers/oauth-lab.js';
import { join } from 'node:path';
import { undoAfterEach } from '../../helpers/cleanup.js';

const cleanup = undoAfterEach();

const host = (): Promise<TestHost> => makeHostFor(cleanup);

/** Everything the second (attacker's) authorization server received, as one string to search. */
const seenBySecond = (log: LogEntry[]) => JSON.stringify(log.filter((e) => e.server === 'two'));

interface FirstIssued {
  clientId: string;
  clientSecret: string;
  accessToken: string;
  refreshToken: string;
}

async function issuedByFirst(t: TestHost, lab: Lab, serverId: string): Promise<FirstIssued> {
  const record = JSON.parse((await FileSecretStore.inDataDir(join(t.dir, 'data')).get(`oauth:${serverId}`))!) as {
    issuers: Record<string, { client: { client_id: string; client_secret: string }; tokens: { access_token: string; refresh_token: string } }>;
  };
  const first = record.issuers[lab.first]!;
  return {
    clientId: first.client.client_id,
    clientSecret: first.client.client_secret,
    accessToken: first.tokens.access_token,
    refreshToken: first.tokens.refresh_token,
  };
}

describe('an authorization server that moves', () => {
  it('registers and signs in anew at the new issuer, and never gives it what the old one issued', async () => {
    const lab = await startLab([], cleanup);
    const t = await host();
    const view = await t.host.servers.add({ name: 'lab', config: { transport: 'http', url: lab.url, headers: {} } });
    await t.host.servers.ensureRunning(view.id).catch(() => undefined);
    await completeSignIn(t, await nextSignIn(t.host));
    await until(() => t.host.servers.get(view.id).status === 'running', 'the server to connect');
    await t.host.runTool({ serverId: view.id, name: 'ping_lab', arguments: {} });
    const old = await issuedByFirst(t, lab, view.id);
    expect(old.clientSecret).toMatch(/^one-secret-/);

    await lab.move();
    await expect(t.host.runTool({ serverId: view.id, name: 'ping_lab', arguments: {} })).rejects.toMatchObject({ code: 'auth_required' });
    // The user sees the new authorization server before anything opens.
    const item = await nextSignIn(t.host);
    expect(new URL(item.request.authorizationUrl).origin).toBe(lab.second);
    expect(new URL(item.request.authorizationUrl).searchParams.get('client_id')).toMatch(/^two-client-/);
    await completeSignIn(t, item);
    await until(async () => (await t.host.auth.view(view.id)).issuer === lab.second && !(await t.host.auth.view(view.id)).pending, 'the new sign-in');
    await until(() => t.host.servers.get(view.id).status === 'running', 'the server to connect again');
    expect((await t.host.runTool({ serverId: view.id, name: 'ping_lab', arguments: {} })).content).toEqual([{ type: 'text', text: 'pong' }]);

    const log = await lab.log();
    expect(log.filter((e) => e.server === 'two' && e.path === '/register')).toHaveLength(1);
    const second = seenBySecond(log);
    for (const value of Object.values(old)) expect(second).not.toContain(value);
    // Both registrations are kept, each under its own issuer.
    const record = JSON.parse((await FileSecretStore.inDataDir(join(t.dir, 'data')).get(`oauth:${view.id}`))!) as { issuers: Record<string, unknown> };
    expect(Object.keys(record.issuers).sort()).toEqual([lab.first, lab.second].sort());
  });

  it('refuses, with a reason, to follow a pre-registered client to another issuer, and sends it nothing', async () => {
    const lab = await startLab([], cleanup);
    const t = await host();
    const view = await t.host.servers.add({ name: 'lab', config: { transport: 'http', url: lab.url, headers: {} } });
    // The client is registered at the first issuer, whose name the user gives.
    const reg = (await (
      await fetch(`${lab.first}/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ redirect_uris: ['http://127.0.0.1:1/x'] }),
      })
    ).json()) as { client_id: string; client_secret: string };
    await t.host.auth.configure(view.id, { clientId: reg.client_id, issuer: lab.first }, { clientSecret: reg.client_secret });
    await lab.move();
    await expect(t.host.servers.ensureRunning(view.id)).rejects.toMatchObject({
      code: 'auth_failed',
      message: expect.stringContaining(`belong to ${lab.first}`) as unknown,
    });
    expect(t.host.inbox.list()).toEqual([]);
    const second = seenBySecond(await lab.log());
    expect(second).not.toContain(reg.client_id);
    expect(second).not.toContain(reg.client_secret);
    expect((await lab.log()).filter((e) => e.server === 'two' && e.method === 'POST')).toEqual([]);
  });

  it('pins client credentials to the first issuer they are used with', async () => {
    const lab = await startLab([], cleanup);
    const t = await host();
    const view = await t.host.servers.add({ name: 'lab', config: { transport: 'http', url: lab.url, headers: {} } });
    await t.host.auth.configure(view.id, { mode: 'client_credentials', clientId: 'service-1' }, { clientSecret: 'service-secret-1' });
    // The lab has no such client: the first attempt fails at the first issuer's token endpoint, which pins it.
    await expect(t.host.servers.ensureRunning(view.id)).rejects.toMatchObject({ code: 'auth_failed' });
    expect((await t.host.auth.view(view.id)).issuer).toBe(lab.first);
    expect(t.host.audit.list({ kind: 'auth.configured', limit: 5 }).some((e) => e.summary.includes(lab.first))).toBe(true);
    await lab.move();
    await expect(t.host.servers.ensureRunning(view.id)).rejects.toMatchObject({ code: 'auth_failed', message: expect.stringContaining(lab.second) as unknown });
    const second = seenBySecond(await lab.log());
    expect(second).not.toContain('service-secret-1');
    expect(second).not.toContain('service-1');
  });
});
