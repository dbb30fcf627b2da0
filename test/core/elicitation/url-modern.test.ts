// URL questions on a 2026-07-28 connection: the page is a round of the tool call (input_required), and the server
// cannot say when the page is done, so the call is retried with "accept" only after the user says they finished it,
// never when the page is merely opened. Hostile: the server is asked how often it was retried while the page is open.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { InboxItem } from '../../../shared/domain/inbox.js';
import type { Host } from '../../../main/core/host.js';
import { addApproved, makeHost, type TestHost } from '../../helpers/host.js';
import { FIXTURES, NODE } from '../../helpers/paths.js';
import { textOf } from '../../helpers/results.js';

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function modern(): Promise<{ host: Host; serverId: string }> {
  t = await makeHost();
  const { view, approve } = await addApproved(t.host, 'era-modern', NODE, [join(FIXTURES, 'era-server.mjs'), '--era=modern']);
  await approve();
  await t.host.servers.ensureRunning(view.id);
  expect(t.host.servers.get(view.id).era).toBe('modern');
  return { host: t.host, serverId: view.id };
}

type UrlItem = Extract<InboxItem, { kind: 'elicitation_url' }>;
async function urlItem(host: Host, stage: 'consent' | 'waiting'): Promise<UrlItem> {
  for (let i = 0; i < 600; i++) {
    const item = host.inbox.list().find((x): x is UrlItem => x.kind === 'elicitation_url' && x.request.stage === stage);
    if (item) return item;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no ${stage} page item arrived`);
}

describe('URL questions on 2026-07-28', () => {
  it('retries the call only after the user says the page is done, not when it is opened', async () => {
    const { host, serverId } = await modern();
    let settled = false;
    const call = host.tools.call({ serverId, name: 'visit', arguments: {} }).finally(() => (settled = true));
    const consent = await urlItem(host, 'consent');
    expect(consent.request).toMatchObject({ url: 'https://example.com/sign', message: 'Sign the form' });
    await host.inbox.decide(consent.id, { kind: 'elicitation_url', action: 'open' });
    expect(t!.opened).toEqual(['https://example.com/sign']);
    const waiting = await urlItem(host, 'waiting');
    // The page is open and the user has not finished it: the server has not been asked again.
    expect(textOf(await host.tools.call({ serverId, name: 'retries', arguments: {} }))).toBe('0');
    expect(settled).toBe(false);
    await host.inbox.decide(waiting.id, { kind: 'elicitation_url', action: 'done' });
    expect(textOf(await call)).toBe('page:accept:retry 1');
    expect(host.inbox.list().filter((x) => x.kind === 'elicitation_url')).toHaveLength(0);
  });

  it('a page the user gives up on after opening it is answered as cancelled', async () => {
    const { host, serverId } = await modern();
    const call = host.tools.call({ serverId, name: 'visit', arguments: {} });
    await host.inbox.decide((await urlItem(host, 'consent')).id, { kind: 'elicitation_url', action: 'open' });
    await host.inbox.decide((await urlItem(host, 'waiting')).id, { kind: 'elicitation_url', action: 'cancel' });
    expect(textOf(await call)).toBe('page:cancel:retry 1');
  });
});
