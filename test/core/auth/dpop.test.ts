// DPoP (RFC 9449) against the OAuth lab: where the authorization server offers it, the token is bound to the server's
// own key, every request carries a fresh proof, nonce challenges are answered once, and the key lives sealed in the
// secret store (never in SQLite), so a bound sign-in survives a restart. Hostile: the fixture refuses a replayed jti,
// a proof for another URL or method, a wrong ath or key, and a token sent as Bearer; each would fail these tests.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHost } from '../../../main/core/host.js';
import { FileSecretStore } from '../../../main/core/node/index.js';
import { makeHost, makeHostFor, noSandbox, type TestHost } from '../../helpers/host.js';
import { completeSignIn, nextSignIn, startLab, until, type Lab, type LogEntry } from '../../helpers/oauth-lab.js';
import { undoAfterEach } from '../../helpers/cleanup.js';

const cleanup = undoAfterEach();

const host = (): Promise<TestHost> => makeHostFor(cleanup);

async function signedIn(lab: Lab, t: TestHost): Promise<string> {
  const view = await t.host.servers.add({ name: 'lab', config: { transport: 'http', url: lab.url, headers: {} } });
  await expect(t.host.servers.ensureRunning(view.id)).rejects.toMatchObject({ code: 'auth_required' });
  expect((await completeSignIn(t, await nextSignIn(t.host))).status).toBe(200);
  await until(() => t.host.servers.get(view.id).status === 'running', 'the server to connect');
  return view.id;
}

const publicX = (proof: string) => (JSON.parse(Buffer.from(proof.split('.')[0]!, 'base64url').toString('utf8')) as { jwk: { x: string } }).jwk.x;
const resourceCalls = (log: LogEntry[]) => log.filter((e) => e.server === 'resource' && e.path === '/mcp' && e.authorization);

describe('DPoP', () => {
  it('binds the token to the server’s key and sends a fresh proof with every request', async () => {
    const lab = await startLab(['--dpop'], cleanup);
    const t = await host();
    const serverId = await signedIn(lab, t);
    const result = await t.host.runTool({ serverId, name: 'ping_lab', arguments: {} });
    expect(result.content).toEqual([{ type: 'text', text: 'pong' }]);

    const log = await lab.log();
    const tokenRequests = log.filter((e) => e.server === 'one' && e.path === '/token');
    expect(tokenRequests.map((e) => e.proof)).toEqual(['valid']);
    const calls = resourceCalls(log);
    expect(calls.length).toBeGreaterThan(1);
    for (const call of calls) {
      expect(call.authorization).toMatch(/^DPoP /);
      expect(call.proof).toBe('valid');
    }
    // One key throughout: the token request's and every request's proof.
    expect(new Set([...tokenRequests, ...calls].map((e) => publicX(e.dpop!))).size).toBe(1);
    expect(await t.host.auth.view(serverId)).toMatchObject({ signedIn: true, dpop: true });
  });

  it('answers the authorization server’s and the resource’s nonce challenges with one retry each', async () => {
    const lab = await startLab(['--dpop', '--nonce'], cleanup);
    const t = await host();
    const serverId = await signedIn(lab, t);
    expect((await t.host.runTool({ serverId, name: 'ping_lab', arguments: {} })).isError).toBeFalsy();
    const log = await lab.log();
    expect(log.filter((e) => e.server === 'one' && e.path === '/token').map((e) => e.proof)).toEqual(['use_dpop_nonce', 'valid']);
    const proofs = resourceCalls(log).map((e) => e.proof);
    expect(proofs[0]).toBe('use_dpop_nonce');
    // The resource's nonce is remembered: only the first request was challenged.
    expect(proofs.slice(1).every((p) => p === 'valid')).toBe(true);
  });

  it('keeps the key sealed in the secret store, never in SQLite, so a bound sign-in survives a restart', async () => {
    const lab = await startLab(['--dpop'], cleanup);
    const first = await makeHost();
    const data = join(first.dir, 'data');
    cleanup(() => first.close());
    const serverId = await signedIn(lab, first);
    await first.host.runTool({ serverId, name: 'ping_lab', arguments: {} });
    const x = publicX(resourceCalls(await lab.log()).at(-1)!.dpop!);
    await first.host.dispose();

    const sqlite = readdirSync(data).filter((f) => f.startsWith('steward.db'));
    expect(sqlite.length).toBeGreaterThan(0);
    for (const file of sqlite) expect(readFileSync(join(data, file)).includes(x)).toBe(false);
    const record = await FileSecretStore.inDataDir(data).get(`oauth:${serverId}`);
    expect(JSON.parse(record!)).toMatchObject({ dpop: { alg: 'ES256', jwk: { x, d: expect.any(String) as unknown } } });

    const again = await createHost({
      dataDir: { path: data },
      secrets: FileSecretStore.inDataDir(data),
      browser: { open: () => Promise.resolve() },
      sandbox: noSandbox,
    });
    cleanup(() => again.dispose());
    const before = (await lab.log()).length;
    expect((await again.runTool({ serverId, name: 'ping_lab', arguments: {} })).content).toEqual([{ type: 'text', text: 'pong' }]);
    expect(again.inbox.list()).toEqual([]);
    const after = (await lab.log()).slice(before);
    expect(after.some((e) => e.path === '/token')).toBe(false);
    for (const call of resourceCalls(after)) expect(publicX(call.dpop!)).toBe(x);
  });

  it('stays with Bearer where the authorization server does not offer DPoP', async () => {
    const lab = await startLab([], cleanup);
    const t = await host();
    const serverId = await signedIn(lab, t);
    await t.host.runTool({ serverId, name: 'ping_lab', arguments: {} });
    const log = await lab.log();
    expect(log.filter((e) => e.dpop !== null)).toEqual([]);
    for (const call of resourceCalls(log)) expect(call.authorization).toMatch(/^Bearer /);
    expect(await t.host.auth.view(serverId)).toMatchObject({ dpop: false });
  });
});
