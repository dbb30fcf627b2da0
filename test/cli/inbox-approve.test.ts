// `steward inbox approve` shows what it approves before it answers, and without a terminal to ask on it approves nothing
// unless --yes. The questions come from a host in another process (as the app), which carries the answer out. Hostile
// input tried: a server asking to open a look-alike address (Cyrillic "а" in paypal.com), and a launch the user never saw.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InboxItem } from '../../shared/domain/inbox.js';
import type { ServerView } from '../../shared/domain/servers.js';
import { steward, waitFor } from '../helpers/cli.js';
import { undoAfterEach } from '../helpers/cleanup.js';
import { tempDir } from '../helpers/host.js';
import { startHostProcess, type HostProcess } from '../helpers/host-process.js';
import { FIXTURES, NODE } from '../helpers/paths.js';

const cleanup = undoAfterEach();

async function app(): Promise<{ data: string; host: HostProcess }> {
  const dir = tempDir('steward-cli-inbox-');
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  const data = join(dir, 'data');
  const host = await startHostProcess(data, { kind: 'app' });
  cleanup(() => host.killHard());
  return { data, host };
}

const add = (host: HostProcess, name: string, args: string[]): Promise<ServerView> =>
  host.call('servers:add', { name, config: { transport: 'stdio', command: NODE, args, env: {} }, sandbox: { enabled: false } });

const waiting = (host: HostProcess, kind: InboxItem['kind']) =>
  waitFor(`a ${kind} question in the app`, async () => (await host.call('inbox:list', {})).find((i) => i.kind === kind));

describe('steward inbox approve', { timeout: 120_000 }, () => {
  it('shows the page to open, its real host and the warning, and opens it only with --yes', async () => {
    const { data, host } = await app();
    const pages = await add(host, 'pages', [join(FIXTURES, 'elicitation-server.mjs')]);
    const request = await host.call('consent:get', { serverId: pages.id });
    await host.call('consent:decide', { serverId: pages.id, hash: request.spec.hash, decision: 'approve' });
    void host.send('tools:call', { serverId: pages.id, name: 'open_page', arguments: { url: 'https://p\u0430ypal.com/login?next=/billing' } });
    const item = await waiting(host, 'elicitation_url');

    const refused = await steward(data, ['inbox', 'approve', item.id]);
    expect(refused.code).toBe(3);
    expect(refused.stdout).toContain('Address, on xn--pypal-4ve.com:\n  https://xn--pypal-4ve.com/login?next=/billing');
    expect(refused.stdout).toContain('Exactly as sent:\n  https://p\u0430ypal.com/login?next=/billing');
    expect(refused.stdout).toContain('Warning: The name mixes Latin and Cyrillic letters');
    expect(refused.stdout).toContain('  | Sign in on the page.');
    expect(refused.stderr).toContain('approving needs --yes');
    expect(host.events.some((e) => e.event === 'browser:open')).toBe(false);
    expect((await host.call('inbox:list', {})).map((i) => i.id)).toContain(item.id);

    const approved = await steward(data, ['inbox', 'approve', item.id, '--yes']);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toContain('https://xn--pypal-4ve.com/login?next=/billing');
    expect(approved.stdout).toContain('Approved the page to open from "pages"');
    const opened = await host.waitForEvent((e) => e.event === 'browser:open', 'the app to open the page');
    expect(opened.payload).toBe('https://xn--pypal-4ve.com/login?next=/billing');
  });

  it('shows the launch in full before approving it, and approves nothing without --yes', async () => {
    const { data, host } = await app();
    const probe = await add(host, 'probe', [join(FIXTURES, 'probe-server.mjs'), '--unseen-flag']);
    void host.send('servers:start', { serverId: probe.id });
    const item = await waiting(host, 'consent');

    const refused = await steward(data, ['inbox', 'approve', item.id]);
    expect(refused.code).toBe(3);
    expect(refused.stdout).toContain('"probe" wants to run a program on this computer.');
    expect(refused.stdout).toContain('probe-server.mjs --unseen-flag');
    expect(refused.stdout).toContain(`Consent hash:    ${item.kind === 'consent' ? item.request.spec.hash : ''}`);
    expect((await host.call('consent:get', { serverId: probe.id })).state).not.toBe('approved');

    const approved = await steward(data, ['inbox', 'approve', item.id, '--yes']);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toContain('probe-server.mjs --unseen-flag');
    await waitFor('the consent to be on record', async () => (await host.call('consent:get', { serverId: probe.id })).state === 'approved');
  });
});
