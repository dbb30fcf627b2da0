// Consent is bound to the exact launch: nothing runs without it, any change asks again, a stale answer is refused.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../main/core/ports.js';
import { addApproved, makeHost, type TestHost } from '../../helpers/host.js';
import { FIXTURES, NODE } from '../../helpers/paths.js';

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const PROBE = join(FIXTURES, 'probe-server.mjs');

describe('consent', () => {
  it('asks again when the command changes, and refuses an answer about the old command', async () => {
    t = await makeHost();
    const { host } = t;
    const { view, request, approve } = await addApproved(host, 'probe', NODE, [PROBE]);
    expect(request.state).toBe('required');
    expect((await approve()).status).toBe('running');
    await host.servers.stop(view.id);

    await host.servers.update(view.id, { config: { transport: 'stdio', command: NODE, args: [PROBE, '--verbose'], env: {} } });
    const again = await host.servers.start(view.id);
    expect(again.status).toBe('awaiting_consent');
    expect(again.pid).toBeNull();
    const changed = await host.servers.consentRequest(view.id);
    expect(changed.state).toBe('required');
    expect(changed.changedSince).not.toBeNull();
    expect(changed.spec.hash).not.toBe(request.spec.hash);

    await expect(host.servers.decideConsent(view.id, request.spec.hash, 'approve', 'user')).rejects.toMatchObject({ code: 'consent_mismatch' });
    expect(host.servers.get(view.id).pid).toBeNull();
    expect((await host.servers.decideConsent(view.id, changed.spec.hash, 'approve', 'user')).status).toBe('running');
  });

  it('runs nothing after a denial and records who decided', async () => {
    t = await makeHost();
    const { host } = t;
    const { view, request } = await addApproved(host, 'probe', NODE, [PROBE]);
    await host.servers.start(view.id);
    const [item] = host.inbox.list();
    expect(item?.kind).toBe('consent');
    const outcome = await host.dispatch('inbox:decide', { itemId: item!.id, decision: { kind: 'consent', decision: 'deny', hash: request.spec.hash } });
    expect(outcome.ok).toBe(true);
    expect(host.servers.get(view.id)).toMatchObject({ status: 'stopped', pid: null, lastError: { code: 'consent_denied' } });
    expect(host.store.processes.ofServer(view.id)).toEqual([]);
    await expect(host.tools.call({ serverId: view.id, name: 'env', arguments: {} })).rejects.toMatchObject({ code: 'consent_denied' });
    const [denied] = host.audit.list({ limit: 1, kind: 'consent.denied' });
    expect(denied).toMatchObject({ actor: 'user', serverName: 'probe' });
    expect(JSON.stringify(denied!.data)).toContain(request.spec.hash);
  });

  it('shows a long command in full, with every argument', async () => {
    t = await makeHost();
    const long = `--note=${'a'.repeat(2048)}`;
    const { request } = await addApproved(t.host, 'long', NODE, [PROBE, long, "it's quoted"]);
    expect(request.commandLine).toContain(long);
    expect(request.commandLine.endsWith(`'it'\\''s quoted'`)).toBe(true);
    expect(request.spec.args).toEqual([PROBE, long, "it's quoted"]);
  });

  it('answers a double decision once', async () => {
    t = await makeHost();
    const { view, request } = await addApproved(t.host, 'probe', NODE, [PROBE]);
    await t.host.servers.start(view.id);
    const [item] = t.host.inbox.list();
    const decide = () => t!.host.inbox.decide(item!.id, { kind: 'consent', decision: 'approve', hash: request.spec.hash });
    const results = await Promise.allSettled([decide(), decide()]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(t.host.servers.get(view.id).status).toBe('running');
  });
});

describe('lazy start and idle stop', () => {
  it('starts on first use and stops after the idle time', async () => {
    let offset = 0;
    t = await makeHost({ clock: { now: () => Date.now() + offset, setTimeout: systemClock.setTimeout } });
    const { host } = t;
    const { view, approve } = await addApproved(host, 'probe', NODE, [PROBE]);
    await host.servers.update(view.id, { options: { lazyStart: true, idleStopMinutes: 1 } });
    await approve();
    await host.servers.stop(view.id);
    expect(host.servers.get(view.id).status).toBe('stopped');

    const tools = await host.dispatch('tools:list', { serverId: view.id });
    expect(tools.ok).toBe(true);
    expect(host.servers.get(view.id).status).toBe('running');

    offset += 30_000;
    host.servers.sample();
    expect(host.servers.get(view.id).status).toBe('running');
    offset += 60_000;
    host.servers.sample();
    for (let i = 0; i < 200 && host.servers.get(view.id).status !== 'stopped'; i++) await new Promise((r) => setTimeout(r, 25));
    expect(host.servers.get(view.id).status).toBe('stopped');

    await host.tools.call({ serverId: view.id, name: 'env', arguments: {} });
    expect(host.servers.get(view.id).status).toBe('running');
  });
});
