// Prompts, resources, templates, completion, subscriptions, paging and list_changed through the contract, against
// server-everything and a paging server over real stdio.
// Hostile input tried: a cursor the server never gave, an update for a URI nobody subscribed to, a prompt that does
// not exist, completion of a server that offers none, a URI of 10 000 characters.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallName, CallInput, CallOutput } from '../../../shared/contract/index.js';
import { addApproved, makeHost, type TestHost } from '../../helpers/host.js';
import { EVERYTHING, FIXTURES, NODE } from '../../helpers/paths.js';

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function ok<K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>> {
  const outcome = await t!.host.dispatch(name, input);
  if (!outcome.ok) throw new Error(`${name}: ${outcome.code} ${outcome.message}`);
  return outcome.data as CallOutput<K>;
}

async function failure<K extends CallName>(name: K, input: CallInput<K>): Promise<string> {
  const outcome = await t!.host.dispatch(name, input);
  if (outcome.ok) throw new Error(`${name} should have failed`);
  return outcome.code;
}

async function start(name: string, args: string[]): Promise<string> {
  const { view, approve } = await addApproved(t!.host, name, NODE, args);
  expect((await approve()).status).toBe('running');
  return view.id;
}

function next<T>(subscribe: (listener: (e: T) => void) => () => void, match: (e: T) => boolean): Promise<T> {
  return new Promise((resolve) => {
    const off = subscribe((e) => {
      if (!match(e)) return;
      off();
      resolve(e);
    });
  });
}

describe('prompts and resources against server-everything', () => {
  it('gets a prompt with arguments, completes its arguments in context, reads resources and templates', async () => {
    t = await makeHost();
    const serverId = await start('everything', [EVERYTHING, 'stdio']);

    const features = await ok('servers:features', { serverId });
    expect(features).toMatchObject({ prompts: true, resources: true, subscribe: true, completions: true, logging: true });

    const prompts = await ok('prompts:list', { serverId });
    expect(prompts.items.map((p) => p.name)).toEqual(expect.arrayContaining(['simple-prompt', 'args-prompt', 'completable-prompt']));
    expect(prompts.nextCursor).toBeUndefined();

    const got = await ok('prompts:get', { serverId, name: 'args-prompt', arguments: { city: 'Lisbon', state: 'Portugal' } });
    expect(JSON.stringify(got.messages)).toContain('Lisbon');

    // The second argument's values depend on the first, passed as context.
    const departments = await ok('completion:complete', {
      serverId,
      ref: { type: 'ref/prompt', name: 'completable-prompt' },
      argument: { name: 'department', value: 'E' },
    });
    expect(departments.values).toEqual(['Engineering']);
    const people = await ok('completion:complete', {
      serverId,
      ref: { type: 'ref/prompt', name: 'completable-prompt' },
      argument: { name: 'name', value: '' },
      context: { department: 'Sales' },
    });
    expect(people.values).toEqual(['David', 'Eve', 'Frank']);

    const resources = await ok('resources:list', { serverId });
    expect(resources.items.length).toBeGreaterThan(0);
    const templates = await ok('resources:templates', { serverId });
    const text = templates.items.find((x) => x.uriTemplate.includes('/text/'));
    expect(text?.uriTemplate).toBe('demo://resource/dynamic/text/{resourceId}');
    const ids = await ok('completion:complete', {
      serverId,
      ref: { type: 'ref/resource', uri: text!.uriTemplate },
      argument: { name: 'resourceId', value: '7' },
    });
    expect(ids.values).toEqual(['7']);

    const read = await ok('resources:read', { serverId, uri: 'demo://resource/dynamic/text/7' });
    expect(read.contents[0]?.text).toContain('Resource 7');
    const blob = await ok('resources:read', { serverId, uri: 'demo://resource/dynamic/blob/3' });
    expect(blob.contents[0]?.blob).toEqual(expect.any(String));

    expect(await failure('prompts:get', { serverId, name: 'no-such-prompt' })).toBe('tool_call_failed');
    expect(await failure('resources:read', { serverId, uri: 'x'.repeat(10_000) })).toBe('invalid_payload');

    // Every message went over the wire and is on record, the handshake included, each answer paired with its request.
    const wire = await ok('servers:wire', { serverId, method: 'prompts/get' });
    expect(wire.messages.map((m) => [m.direction, m.kind])).toEqual(
      expect.arrayContaining([
        ['out', 'request'],
        ['in', 'response'],
        ['in', 'error'],
      ]),
    );
    expect(wire.messages.find((m) => m.kind === 'response')?.ms).toEqual(expect.any(Number));
    const handshake = await ok('servers:wire', { serverId, method: 'initialize', limit: 2 });
    expect(handshake.messages.map((m) => [m.direction, m.kind])).toEqual([
      ['out', 'request'],
      ['in', 'response'],
    ]);

    await ok('servers:setLogLevel', { serverId, level: 'error' });
    expect(await failure('servers:setLogLevel', { serverId, level: 'loud' as 'error' })).toBe('invalid_payload');
  });

  it('passes on resources/updated for a subscribed URI and resources/list_changed', async () => {
    t = await makeHost();
    const serverId = await start('everything', [EVERYTHING, 'stdio']);
    const uri = 'demo://resource/static/document/architecture.md';
    await ok('resources:subscribe', { serverId, uri });
    const updated = next(
      (l: (e: { serverId: string; uri: string }) => void) => t!.host.events.on('resources:updated', l),
      (e) => e.uri === uri,
    );
    await t.host.tools.call({ serverId, name: 'toggle-subscriber-updates', arguments: {} });
    expect(await updated).toEqual({ serverId, uri });
    await ok('resources:unsubscribe', { serverId, uri });
  });
});

describe('paging and list_changed', () => {
  it('walks every list a page at a time with the server cursor; a cursor it never gave is refused', async () => {
    t = await makeHost();
    const serverId = await start('paging', [join(FIXTURES, 'paging-server.mjs')]);
    const walk = async (name: 'resources:list' | 'prompts:list' | 'resources:templates') => {
      const sizes: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await ok(name, { serverId, ...(cursor ? { cursor } : {}) });
        sizes.push(page.items.length);
        cursor = page.nextCursor;
      } while (cursor);
      return sizes;
    };
    expect(await walk('resources:list')).toEqual([10, 10, 3]);
    expect(await walk('prompts:list')).toEqual([3, 3, 1]);
    expect(await walk('resources:templates')).toEqual([2, 2]);
    expect(await failure('resources:list', { serverId, cursor: 'forged' })).toBe('tool_call_failed');

    // A binary resource comes back as base64, untouched.
    const read = await ok('resources:read', { serverId, uri: 'page://r/1' });
    expect(Buffer.from(read.contents[0]!.blob!, 'base64')).toEqual(Buffer.from([0, 1, 2, 255]));
    // The server offers no completion: said plainly.
    expect(await failure('completion:complete', { serverId, ref: { type: 'ref/prompt', name: 'p0' }, argument: { name: 'who', value: '' } })).toBe(
      'not_supported',
    );
  });

  it('announces list changes, and updates only for URIs the user subscribed to', async () => {
    t = await makeHost();
    const host = t.host;
    const serverId = await start('paging', [join(FIXTURES, 'paging-server.mjs')]);
    const seen: string[] = [];
    const offSeen = host.events.on('resources:updated', (e) => seen.push(e.uri));
    await ok('resources:subscribe', { serverId, uri: 'page://r/4' });
    const listChanged = next(
      (l: (e: { serverId: string }) => void) => host.events.on('resources:changed', l),
      (e) => e.serverId === serverId,
    );
    const updated = next(
      (l: (e: { uri: string }) => void) => host.events.on('resources:updated', l),
      () => true,
    );
    await host.tools.call({ serverId, name: 'touch', arguments: { uri: 'page://r/4' } });
    await listChanged;
    await updated;
    offSeen();
    // The server also announced an update for page://never-subscribed: it went nowhere.
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set(['page://r/4']));

    const promptsChanged = next(
      (l: (e: { serverId: string }) => void) => host.events.on('prompts:changed', l),
      (e) => e.serverId === serverId,
    );
    await host.tools.call({ serverId, name: 'grow', arguments: {} });
    await promptsChanged;
    const last = await ok('prompts:list', { serverId, cursor: 'c6' });
    expect(last.items.map((p) => p.name)).toEqual(['p6', 'p7']);
  });
});
