// Workload identity federation against the OAuth lab: the workload's token (stored, or read from a file the identity
// provider rotates) goes in a JWT bearer grant to the server's own authorization server only, DPoP-bound where offered.
// Hostile: a token meant for another audience or already expired is never sent; a refused token is not sent again and
// no other grant is tried.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as jose from 'jose';
import { describe, expect, it } from 'vitest';
import { makeHostFor, type TestHost } from '../../helpers/host.js';
import { startLab, type Lab } from '../../helpers/oauth-lab.js';
import { undoAfterEach } from '../../helpers/cleanup.js';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const cleanup = undoAfterEach();

async function setUp(flags: string[]): Promise<{ lab: Lab; t: TestHost; serverId: string }> {
  const lab = await startLab(['--wif', ...flags], cleanup);
  const t = await makeHostFor(cleanup);
  const view = await t.host.servers.add({ name: 'lab', config: { transport: 'http', url: lab.url, headers: {} } });
  return { lab, t, serverId: view.id };
}

const tokenRequests = async (lab: Lab) => (await lab.log()).filter((e) => e.path === '/token');

describe('workload identity federation', () => {
  it('trades the workload token in a JWT bearer grant, DPoP-bound where offered', async () => {
    const { lab, t, serverId } = await setUp(['--dpop']);
    const token = await lab.workloadToken(lab.first);
    await t.host.auth.configure(serverId, { mode: 'workload', clientId: 'lab-workload' }, { workloadToken: token });
    expect((await t.host.runTool({ serverId, name: 'ping_lab', arguments: {} })).content).toEqual([{ type: 'text', text: 'pong' }]);
    const requests = await tokenRequests(lab);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ server: 'one', proof: 'valid', body: { grant_type: JWT_BEARER, assertion: token, client_id: 'lab-workload' } });
    const calls = (await lab.log()).filter((e) => e.server === 'resource' && e.authorization);
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect(call).toMatchObject({ authorization: expect.stringMatching(/^DPoP /) as unknown, proof: 'valid' });
    expect(t.host.inbox.list()).toEqual([]);
  });

  it('reads the token from its file at each sign-in', async () => {
    const { lab, t, serverId } = await setUp([]);
    const file = join(t.dir, 'workload-token');
    writeFileSync(file, `${await lab.workloadToken(lab.first)}\n`);
    await t.host.auth.configure(serverId, { mode: 'workload', clientId: 'lab-workload', workloadTokenFile: file });
    expect((await t.host.auth.view(serverId)).secretsSet.workloadToken).toBe(false);
    expect((await t.host.runTool({ serverId, name: 'ping_lab', arguments: {} })).isError).toBeFalsy();
    expect((await tokenRequests(lab))[0]?.body?.assertion).toBe(readFileSync(file, 'utf8').trim());
  });

  it('never sends a token meant for another audience, or one that has expired', async () => {
    const { lab, t, serverId } = await setUp([]);
    await t.host.auth.configure(
      serverId,
      { mode: 'workload', clientId: 'lab-workload' },
      { workloadToken: await lab.workloadToken('https://elsewhere.example') },
    );
    await expect(t.host.servers.ensureRunning(serverId)).rejects.toMatchObject({
      code: 'auth_failed',
      message: expect.stringContaining('https://elsewhere.example') as unknown,
    });
    await t.host.auth.configure(serverId, {}, { workloadToken: await lab.workloadToken(lab.first, -60) });
    await expect(t.host.servers.ensureRunning(serverId)).rejects.toMatchObject({ code: 'auth_failed', message: expect.stringContaining('expired') as unknown });
    await t.host.auth.configure(serverId, {}, { workloadToken: 'not-a-jwt' });
    await expect(t.host.servers.ensureRunning(serverId)).rejects.toMatchObject({
      code: 'auth_failed',
      message: expect.stringContaining('not a JWT') as unknown,
    });
    expect(await tokenRequests(lab)).toEqual([]);
  });

  it('reports a refused token without sending it again or trying another grant', async () => {
    const { lab, t, serverId } = await setUp([]);
    // Meant for the right audience, but signed by a key the authorization server does not trust.
    const { privateKey } = await jose.generateKeyPair('ES256');
    const forged = await new jose.SignJWT({ sub: 'intruder' })
      .setProtectedHeader({ alg: 'ES256' })
      .setAudience(lab.first)
      .setExpirationTime('5m')
      .sign(privateKey);
    await t.host.auth.configure(serverId, { mode: 'workload', clientId: 'lab-workload' }, { workloadToken: forged });
    await expect(t.host.servers.ensureRunning(serverId)).rejects.toMatchObject({ code: 'auth_failed', message: expect.stringContaining('refused') as unknown });
    const requests = await tokenRequests(lab);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.body?.grant_type).toBe(JWT_BEARER);
  });
});
