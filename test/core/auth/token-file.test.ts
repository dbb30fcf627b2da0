// The workload identity token file: only an absolute path to a regular file of a token's size, outside the hidden
// locations, is read. Hostile: /dev/zero (endless), a FIFO with no writer (a read that never returns), a file larger
// than any token, a relative path, Steward's own secrets file (named, and behind a link), and a JWT on disk meant for
// someone else, whose claims must not come back in the error, and a file in ~/.config/gh where XDG_CONFIG_HOME moves
// ~/.config. The real token file still works.
import { execFileSync } from 'node:child_process';
import { constants, closeSync, mkdirSync, openSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hiddenLocations } from '../../../main/core/security/index.js';
import { MAX_TOKEN_FILE_BYTES, tokenFileRefusal } from '../../../main/core/auth/token-file.js';
import { undoAfterEach } from '../../helpers/cleanup.js';
import { makeHostFor, tempDir, type TestHost } from '../../helpers/host.js';
import { startLab, type Lab } from '../../helpers/oauth-lab.js';

const cleanup = undoAfterEach();

async function setUp(env?: Record<string, string>): Promise<{ lab: Lab; t: TestHost; serverId: string }> {
  const lab = await startLab(['--wif'], cleanup);
  const t = await makeHostFor(cleanup, env ? { env: { ...process.env, ...env } } : {});
  const view = await t.host.servers.add({ name: 'lab', config: { transport: 'http', url: lab.url, headers: {} } });
  return { lab, t, serverId: view.id };
}

const workload = (file: string) => ({ mode: 'workload' as const, clientId: 'lab-workload', workloadTokenFile: file });
const tokenRequests = async (lab: Lab) => (await lab.log()).filter((e) => e.path === '/token');

describe('the workload token file', () => {
  it('refuses /dev/zero as no regular file, promptly', { timeout: 20_000 }, async () => {
    const { lab, t, serverId } = await setUp();
    await t.host.auth.configure(serverId, workload('/dev/zero'));
    await expect(t.host.servers.ensureRunning(serverId)).rejects.toMatchObject({
      code: 'auth_failed',
      message: expect.stringContaining('not a regular file') as unknown,
    });
    expect(await tokenRequests(lab)).toEqual([]);
  });

  it('refuses a FIFO without waiting for a writer', { timeout: 20_000 }, async () => {
    const { t, serverId } = await setUp();
    const fifo = join(t.dir, 'token-fifo');
    execFileSync('mkfifo', [fifo]);
    // Should a read be left waiting on it, a writer that opens and closes ends that read, so nothing outlives the test.
    cleanup(() => {
      try {
        closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {
        // No reader is waiting: nothing to end.
      }
    });
    await t.host.dispatch('auth:configure', { serverId, config: workload(fifo) });
    expect(await t.host.dispatch('auth:signIn', { serverId })).toMatchObject({
      ok: false,
      code: 'auth_failed',
      message: expect.stringContaining('not a regular file') as unknown,
    });
  });

  it('refuses a file larger than a token, and reads a token file of the largest size', async () => {
    const { lab, t, serverId } = await setUp();
    const big = join(t.dir, 'big-token');
    writeFileSync(big, 'x'.repeat(MAX_TOKEN_FILE_BYTES + 1));
    await t.host.auth.configure(serverId, workload(big));
    await expect(t.host.servers.ensureRunning(serverId)).rejects.toMatchObject({
      code: 'auth_failed',
      message: expect.stringContaining('too large') as unknown,
    });
    const token = await lab.workloadToken(lab.first);
    writeFileSync(big, `${token}${' '.repeat(MAX_TOKEN_FILE_BYTES - token.length)}`);
    expect((await t.host.runTool({ serverId, name: 'ping_lab', arguments: {} })).content).toEqual([{ type: 'text', text: 'pong' }]);
    expect((await tokenRequests(lab))[0]?.body?.assertion).toBe(token);
  });

  it('refuses a relative path and Steward’s own secrets when configured; a link to them is refused when read', async () => {
    const { lab, t, serverId } = await setUp();
    for (const file of ['token.jwt', join(t.dir, 'data', 'secrets.json')]) {
      const refused = await t.host.dispatch('auth:configure', { serverId, config: workload(file) });
      expect(refused).toMatchObject({ ok: false, code: 'invalid_payload', message: expect.stringContaining('workloadTokenFile: ') as unknown });
    }
    await t.host.auth.configure(serverId, { mode: 'workload', clientId: 'lab-workload' }, { workloadToken: 'SECRET-STORED-TOKEN' });
    const link = join(t.dir, 'innocent-token');
    symlinkSync(join(t.dir, 'data', 'secrets.json'), link);
    await t.host.auth.configure(serverId, workload(link));
    const outcome = await t.host.servers.ensureRunning(serverId).then(
      () => undefined,
      (error: unknown) => error as Error & { code: string },
    );
    expect(outcome).toMatchObject({ code: 'auth_failed', message: expect.stringContaining("Steward's own data") as unknown });
    expect(outcome?.message).not.toContain('SECRET-STORED-TOKEN');
    expect(await tokenRequests(lab)).toEqual([]);
  });

  it('refuses a file in a hidden location of the folder XDG_CONFIG_HOME names', async () => {
    const config = tempDir('steward-token-config-');
    mkdirSync(join(config, 'gh'));
    writeFileSync(join(config, 'gh', 'hosts.yml'), 'oauth_token: gho_x');
    const { lab, t, serverId } = await setUp({ XDG_CONFIG_HOME: config });
    const refused = await t.host.dispatch('auth:configure', { serverId, config: workload(join(config, 'gh', 'hosts.yml')) });
    expect(refused).toMatchObject({ ok: false, code: 'invalid_payload', message: expect.stringContaining('GitHub CLI credentials') as unknown });
    expect(await tokenRequests(lab)).toEqual([]);
  });

  it('says a missing file is missing, and never repeats the claims of a JWT it read', async () => {
    const { lab, t, serverId } = await setUp();
    await t.host.auth.configure(serverId, workload(join(t.dir, 'nowhere', 'token')));
    await expect(t.host.servers.ensureRunning(serverId)).rejects.toMatchObject({
      code: 'auth_required',
      message: expect.stringContaining('there is no such file') as unknown,
    });
    const other = join(t.dir, 'someone-elses.jwt');
    writeFileSync(other, await lab.workloadToken('https://payroll.internal.example'));
    await t.host.auth.configure(serverId, workload(other));
    const outcome = await t.host.servers.ensureRunning(serverId).then(
      () => undefined,
      (error: unknown) => error as Error & { code: string },
    );
    expect(outcome).toMatchObject({ code: 'auth_failed', message: expect.stringContaining(`not meant for ${lab.first}`) as unknown });
    expect(outcome?.message).not.toContain('payroll');
    expect(await tokenRequests(lab)).toEqual([]);
  });
});

describe('which token file paths are refused before reading', () => {
  const home = homedir();
  const rules = { platform: 'linux' as const, hidden: hiddenLocations('linux', home, '/srv/steward-data') };
  it.each([
    ['relative/token', 'not an absolute path'],
    [join(home, '.ssh', 'id_ed25519'), 'SSH keys'],
    [join(home, '.aws', '..', '.aws', 'credentials'), 'AWS credentials'],
    ['/srv/steward-data/secrets.json', "Steward's own data"],
    ['/var/run/secrets/tokens/mcp-token', null],
  ])('%s', (file, problem) => {
    const answer = tokenFileRefusal(file, rules);
    if (problem === null) expect(answer).toBeNull();
    else expect(answer).toContain(problem);
  });
});
