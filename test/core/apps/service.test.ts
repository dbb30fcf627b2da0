// The host side of MCP Apps against real servers over stdio (the reference servers from the registry and the apps
// fixture): the extension advertised, views found by both keys, fetched and checked, their CSP and permissions, and
// every request a view makes — relayed, refused, limited and logged — without a browser.
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import type { AppViewSpec } from '../../../shared/domain/apps.js';
import { StewardError } from '../../../shared/errors.js';
import { addApproved } from '../../helpers/host.js';
import { writeSamplePdf } from '../../helpers/pdf.js';
import { FIXTURES, NODE, ROOT } from '../../helpers/paths.js';
import { nextItem, samplingRig, type SamplingRig } from '../../helpers/sampling.js';

const HOST_ORIGIN = 'http://127.0.0.1:4321';
const reference = (name: string) => join(ROOT, 'node_modules', '@modelcontextprotocol', `server-${name}`, 'dist', 'index.js');

let rig: SamplingRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function setup() {
  rig = await samplingRig();
  rig.t.host.apps.attachFrames({ hostOrigins: () => new Set([HOST_ORIGIN]), url: (label, token) => `http://${label}.localhost:1/proxy/${token}` });
  return rig;
}

async function server(r: SamplingRig, name: string, args: string[]) {
  const { view, approve } = await addApproved(r.t.host, name, NODE, args);
  await approve();
  return view.id;
}

const fixture = (r: SamplingRig) => server(r, 'fixture', [join(FIXTURES, 'apps-server.mjs'), '--declared=http://127.0.0.1:7001']);

async function failure(promise: Promise<unknown>): Promise<StewardError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StewardError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

/** The server's log, oldest first, once `pattern` shows up in it. */
async function logUntil(r: SamplingRig, serverId: string, pattern: RegExp): Promise<string[]> {
  for (let i = 0; i < 200; i++) {
    const lines = r.t.host.servers
      .logsPage(serverId, 2000)
      .reverse()
      .map((l) => `${l.level} ${l.text}`);
    if (lines.some((l) => pattern.test(l))) return lines;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`the log never showed ${String(pattern)}`);
}

describe('negotiation and discovery', () => {
  it('advertises the extension with its mime type and reads views from both keys', async () => {
    const r = await setup();
    const id = await fixture(r);
    const caps = JSON.parse(String((await r.t.host.tools.call({ serverId: id, name: 'client_capabilities', arguments: {} })).content[0]?.text)) as {
      extensions?: Record<string, { mimeTypes: string[] }>;
    };
    expect(caps.extensions?.['io.modelcontextprotocol/ui']).toEqual({ mimeTypes: ['text/html;profile=mcp-app'] });
    const tools = await (await r.t.host.servers.ensureRunning(id)).listTools();
    const ui = Object.fromEntries(tools.map((t) => [t.name, t.ui]));
    expect(ui['legacy-view']).toEqual({ resourceUri: 'ui://legacy/view.html' });
    expect(ui['hostile']).toEqual({ resourceUri: 'ui://hostile/view.html' });
    expect(ui['app-echo']).toEqual({ visibility: ['app'] });
    expect(ui['model-only-tool']).toEqual({ visibility: ['model'] });
    expect(ui['agent']).toBeUndefined();
  });

  it('opens the reference servers’ views: the HTML checked, the default CSP or the one declared', async () => {
    const r = await setup();
    const vanilla = await server(r, 'vanilla', [reference('basic-vanillajs'), '--stdio']);
    const spec = await r.t.host.apps.open(vanilla, 'get-time', HOST_ORIGIN);
    expect(spec.resourceUri).toBe('ui://get-time/mcp-app.html');
    expect(spec.html).toMatch(/^<!DOCTYPE html>/i);
    expect(spec.csp.source).toBe('none');
    expect(spec.csp.header).toContain("connect-src 'none'");
    expect(spec.csp.header).toContain(`frame-ancestors ${HOST_ORIGIN}`);
    expect(spec.proxyUrl).toMatch(/^http:\/\/v[0-9a-f]{24}\.localhost:1\/proxy\/[\w-]+$/);
    expect(spec.sandbox).toBe('allow-scripts allow-same-origin allow-forms');
    expect(spec.allow).toBe('');
    // The proxy page goes out with exactly this policy, on this server's label only.
    const label = new URL(spec.proxyUrl).hostname.split('.')[0] ?? '';
    const token = spec.proxyUrl.split('/').pop() ?? '';
    expect(r.t.host.apps.frameDocument(label, token)?.csp).toBe(spec.csp.header);
    expect(r.t.host.apps.frameDocument(r.t.host.apps.labelOf('another-server'), token)).toBeUndefined();

    const pdf = await server(r, 'pdf', [reference('pdf'), '--stdio', writeSamplePdf(join(r.t.dir, 'sample.pdf'))]);
    const viewer = await r.t.host.apps.open(pdf, 'display_pdf', HOST_ORIGIN);
    expect(viewer.csp.source).toBe('content');
    expect(viewer.csp.header).toContain('connect-src https://unpkg.com');
    expect(viewer.csp.header).toContain("script-src 'self' 'unsafe-inline' data: blob: https://unpkg.com");
    expect(viewer.permissions).toEqual({ clipboardWrite: {} });
    expect(viewer.allow).toBe('clipboard-write');
    // Different servers, different origins.
    expect(new URL(viewer.proxyUrl).hostname).not.toBe(new URL(spec.proxyUrl).hostname);
    const opened = r.t.host.audit.list({ kind: 'app.opened', limit: 10 });
    expect(opened.map((e) => e.data.tool).sort()).toEqual(['display_pdf', 'get-time']);
    expect(opened.find((e) => e.data.tool === 'get-time')?.data.csp).toBe(spec.csp.header);
  });

  it('takes a blob view by the legacy key with its CSP from the resource list, and refuses the wrong content type', async () => {
    const r = await setup();
    const id = await fixture(r);
    const legacy = await r.t.host.apps.open(id, 'legacy-view', HOST_ORIGIN);
    expect(legacy.html).toContain('Legacy view');
    expect(legacy.csp.source).toBe('list');
    expect(legacy.csp.header).toContain('connect-src http://127.0.0.1:7001;');

    const declared = await r.t.host.apps.open(id, 'declared-view', HOST_ORIGIN);
    expect(declared.csp.source).toBe('content');
    expect(declared.csp.header).toContain('connect-src http://127.0.0.1:7001;');
    expect(declared.csp.refused.map((x) => x.value)).toEqual(['https:', '*', 'https://ok.example; script-src *', "'unsafe-eval'", 'https://*.com']);
    expect(declared.permissions).toEqual({ clipboardWrite: {} });
    expect(declared.prefersBorder).toBe(true);

    const wrong = await failure(r.t.host.apps.open(id, 'wrong-mime', HOST_ORIGIN));
    expect(wrong.code).toBe('protocol_error');
    expect(wrong.message).toMatch(/"text\/html"; Steward shows only text\/html;profile=mcp-app/);
    expect(r.t.host.audit.list({ kind: 'app.refused', limit: 5 })[0]?.summary).toMatch(/wrong-mime/);
    expect((await failure(r.t.host.apps.open(id, 'agent', HOST_ORIGIN))).code).toBe('not_supported');
    expect((await failure(r.t.host.apps.open(id, 'hostile', 'https://evil.example'))).code).toBe('invalid_payload');
  });
});

describe('what a view may ask', () => {
  async function openHostile(r: SamplingRig): Promise<{ id: string; spec: AppViewSpec }> {
    const id = await fixture(r);
    return { id, spec: await r.t.host.apps.open(id, 'hostile', HOST_ORIGIN) };
  }

  it('relays its own server’s app-visible tools and resources, and refuses everything else with a reason', async () => {
    const r = await setup();
    const { id, spec } = await openHostile(r);
    const { apps } = r.t.host;
    const echoed = await apps.request(spec.viewId, 'tools/call', { name: 'app-echo', arguments: { a: 1 } });
    expect(echoed.structuredContent).toEqual({ a: 1 });
    const read = await apps.request(spec.viewId, 'resources/read', { uri: 'ui://card/view.html' });
    expect(JSON.stringify(read)).toContain('Card');
    expect(await apps.request(spec.viewId, 'ping', {})).toEqual({});

    const refusals: Array<[string, unknown, string, number]> = [
      ['tools/call', { name: 'model-only-tool' }, 'not_allowed', -32000],
      ['tools/call', { name: 'get-time' }, 'not_allowed', -32000],
      ['tools/call', { name: 42 }, 'invalid_payload', -32602],
      ['tools/call', 'not an object', 'invalid_payload', -32602],
      ['servers:remove', {}, 'not_supported', -32601],
      ['tools/list', {}, 'not_supported', -32601],
      ['initialize', {}, 'not_supported', -32601],
    ];
    for (const [method, params, code, rpcCode] of refusals) {
      const error = await failure(apps.request(spec.viewId, method, params));
      expect([method, error.code, error.details?.rpcCode]).toEqual([method, code, rpcCode]);
    }
    const lines = await logUntil(r, id, /refused tools\/call model-only-tool/);
    expect(lines.some((l) => /debug \[view of hostile\] tools\/call app-echo: ok/.test(l))).toBe(true);
    expect(lines.some((l) => /warning \[view of hostile\] refused tools\/call model-only-tool: The tool "model-only-tool" is not open to views/.test(l))).toBe(
      true,
    );
    expect((await failure(apps.request('no-such-view', 'ping', {}))).code).toBe('not_found');
  });

  it('limits a flood of requests, logs it as a summary, and answers again once it stops', async () => {
    const r = await setup();
    const { id, spec } = await openHostile(r);
    // The view's requests in flight (up to its cap of 16) all listen to its signal: no warning of a leak.
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    onTestFinished(() => void process.off('warning', onWarning));
    const outcomes = await Promise.all(
      Array.from({ length: 400 }, (_, i) =>
        r.t.host.apps.request(spec.viewId, 'tools/call', { name: 'app-echo', arguments: { i } }).then(
          () => 'ok',
          (e: unknown) => (e instanceof StewardError ? e.code : 'error'),
        ),
      ),
    );
    const ok = outcomes.filter((o) => o === 'ok').length;
    expect(ok).toBeGreaterThan(0);
    expect(ok).toBeLessThanOrEqual(61);
    expect(outcomes.filter((o) => o === 'rate_limited').length).toBe(400 - ok);
    expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
    const lines = await logUntil(r, id, /more like this within 2 s/);
    expect(lines.filter((l) => /requests a second|waiting at once|more like this/.test(l)).length).toBeLessThan(5);
    // The bucket refills: a request after the flood goes through.
    let after = 'rate_limited';
    for (let i = 0; i < 100 && after === 'rate_limited'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = await r.t.host.apps.request(spec.viewId, 'ping', {}).then(
        () => 'ok',
        (e: unknown) => (e instanceof StewardError ? e.code : 'error'),
      );
    }
    expect(after).toBe('ok');
  });

  it('keeps messages and model context on record, and opens only pages the gate allows', async () => {
    const r = await setup();
    const { spec } = await openHostile(r);
    const { apps } = r.t.host;
    apps.message(spec.viewId, { role: 'user', content: [{ type: 'text', text: 'Please book the 9:30 slot.' }] });
    expect(() => apps.message(spec.viewId, { role: 'assistant', content: [] })).toThrow(/user message/);
    const context = { content: [{ type: 'text', text: 'Viewing page 3 of 7' }] };
    apps.modelContext(spec.viewId, context);
    apps.modelContext(spec.viewId, context);
    apps.modelContext(spec.viewId, { structuredContent: { page: 4 } });
    const messages = r.t.host.audit.list({ kind: 'app.message', limit: 10 });
    expect(messages.map((m) => [m.actor, m.data.text])).toEqual([['view', 'Please book the 9:30 slot.']]);
    // The same context twice is one record; a new one is another.
    expect(r.t.host.audit.list({ kind: 'app.model_context', limit: 10 })).toHaveLength(2);

    expect(apps.checkLink(spec.viewId, 'javascript:alert(1)').allowed).toBe(false);
    expect(apps.checkLink(spec.viewId, 'http://example.com/').allowed).toBe(false);
    expect((await failure(apps.openLink(spec.viewId, 'file:///etc/passwd'))).code).toBe('invalid_payload');
    const verdict = apps.checkLink(spec.viewId, 'https://modelcontextprotocol.io/');
    expect(verdict.allowed).toBe(true);
    expect(r.t.opened).toEqual([]);
    await apps.openLink(spec.viewId, 'https://modelcontextprotocol.io/');
    expect(r.t.opened).toEqual(['https://modelcontextprotocol.io/']);
    expect(r.t.host.audit.list({ kind: 'app.link_opened', limit: 5 })[0]?.actor).toBe('user');
  });

  it('sends a view’s sampling request through the same approval as its server’s, and a closed view asks nothing more', async () => {
    const r = await setup();
    const { id, spec } = await openHostile(r);
    const asking = r.t.host.apps.request(spec.viewId, 'sampling/createMessage', {
      messages: [{ role: 'user', content: { type: 'text', text: 'Summarise the view.' } }],
      maxTokens: 50,
    });
    const item = await nextItem(r, 'sampling');
    expect(item.serverId).toBe(id);
    await r.t.host.inbox.decide(item.id, { kind: 'sampling', decision: 'deny', grant: 'once' });
    const denied = await failure(asking);
    expect([denied.code, denied.details?.rpcCode]).toEqual(['not_allowed', -1]);
    expect(r.t.host.audit.list({ kind: 'sampling.denied', limit: 5 })).toHaveLength(1);

    r.t.host.apps.close(spec.viewId, 'test done');
    expect((await failure(r.t.host.apps.request(spec.viewId, 'ping', {}))).code).toBe('not_found');
    const label = new URL(spec.proxyUrl).hostname.split('.')[0] ?? '';
    expect(r.t.host.apps.frameDocument(label, spec.proxyUrl.split('/').pop() ?? '')).toBeUndefined();
  });

  it('never offers a model the tools its server keeps for views, in an agent loop', async () => {
    const r = await setup();
    const id = await fixture(r);
    r.t.host.sampling.setPolicy(id, 'fixture', { mode: 'allow', allowTools: true });
    // Reconnect, so the server sees sampling with tools declared.
    await r.t.host.servers.restart(id);
    r.api.script([{ toolUses: [{ name: 'show-card', input: { title: 'Weather' } }] }, { text: 'Here is your card.' }]);
    const result = await r.t.host.tools.call({ serverId: id, name: 'agent', arguments: {} });
    expect(result.content[0]?.text).toBe('Here is your card.');
    const offered = r.api.requests
      .filter((q) => q.path.startsWith('/v1/messages'))
      .map((q) => ((q.body as { tools?: { name: string }[] }).tools ?? []).map((t) => t.name));
    expect(offered).toEqual([['show-card'], ['show-card']]);
    await logUntil(r, id, /Left app-echo out of a sampling request/);
  });
});

describe('how long a view lives', () => {
  /** A view with a permission granted, and what the page is told of views Steward closes on its own. */
  async function openDeclared(r: SamplingRig) {
    const id = await fixture(r);
    const closed: Array<{ viewId: string; serverId: string; reason: string }> = [];
    onTestFinished(r.t.host.events.on('apps:closed', (event) => void closed.push(event)));
    const spec = await r.t.host.apps.open(id, 'declared-view', HOST_ORIGIN);
    const label = new URL(spec.proxyUrl).hostname.split('.')[0] ?? '';
    const token = spec.proxyUrl.split('/').pop() ?? '';
    expect([r.t.host.apps.knowsLabel(label), r.t.host.apps.permissionAllowed(label, 'clipboardWrite')]).toEqual([true, true]);
    return { id, spec, label, token, closed };
  }

  it('ends with its server: a removed server’s views lose their origin and permissions, and the page is told', async () => {
    const r = await setup();
    const { id, spec, label, token, closed } = await openDeclared(r);
    await r.t.host.servers.remove(id);
    expect(r.t.host.apps.knowsLabel(label)).toBe(false);
    expect(r.t.host.apps.permissionAllowed(label, 'clipboardWrite')).toBe(false);
    expect(r.t.host.apps.frameDocument(label, token)).toBeUndefined();
    expect((await failure(r.t.host.apps.request(spec.viewId, 'ping', {}))).code).toBe('not_found');
    expect(closed).toEqual([{ viewId: spec.viewId, serverId: id, reason: 'Its server was removed, so Steward closed the view.' }]);
  });

  it('ends when its server is changed to launch something else, not when the server only stops or starts', async () => {
    const r = await setup();
    const { id, spec, label, closed } = await openDeclared(r);
    await r.t.host.servers.stop(id);
    await r.t.host.servers.start(id);
    await r.t.host.servers.update(id, { name: 'fixture renamed' });
    expect(r.t.host.apps.knowsLabel(label)).toBe(true);
    expect(closed).toEqual([]);

    const outcome = await r.t.host.servers.edit(id, {
      config: { transport: 'stdio', command: NODE, args: [join(FIXTURES, 'apps-server.mjs'), '--declared=http://127.0.0.1:7002'], env: {} },
    });
    expect(outcome.launch).toBe('consent');
    expect(r.t.host.apps.knowsLabel(label)).toBe(false);
    expect(r.t.host.apps.permissionAllowed(label, 'clipboardWrite')).toBe(false);
    expect(closed).toEqual([{ viewId: spec.viewId, serverId: id, reason: 'Its server’s launch or address changed, so Steward closed the view.' }]);
  });

  it('ends when its server’s packages are updated (new code, consented to again), not when a check finds nothing newer', async () => {
    const r = await setup();
    const id = await fixture(r);
    const pin = {
      ecosystem: 'npm',
      name: 'apps-fixture',
      requested: '^1.0.0',
      version: '1.0.0',
      integrity: 'sha512-old',
      bin: null,
      pinnedAt: '2026-01-01T00:00:00.000Z',
    } as const;
    r.t.host.store.servers.setPins(id, [pin]);
    const closed: Array<{ viewId: string; serverId: string; reason: string }> = [];
    onTestFinished(r.t.host.events.on('apps:closed', (event) => void closed.push(event)));
    const spec = await r.t.host.apps.open(id, 'declared-view', HOST_ORIGIN);
    const label = new URL(spec.proxyUrl).hostname.split('.')[0] ?? '';
    // As an update does: every pin asked again, then the server reported changed.
    const repin = (version: string, integrity: string, pinnedAt: string) => {
      r.t.host.store.servers.setPins(id, [{ ...pin, version, integrity, pinnedAt }]);
      r.t.host.events.emit('servers:changed', r.t.host.servers.get(id));
    };
    repin('1.0.0', 'sha512-old', '2026-02-01T00:00:00.000Z');
    expect([r.t.host.apps.knowsLabel(label), closed]).toEqual([true, []]);

    repin('1.1.0', 'sha512-new', '2026-03-01T00:00:00.000Z');
    expect(r.t.host.apps.knowsLabel(label)).toBe(false);
    expect(r.t.host.apps.permissionAllowed(label, 'clipboardWrite')).toBe(false);
    expect(closed).toEqual([{ viewId: spec.viewId, serverId: id, reason: 'Its server’s launch or address changed, so Steward closed the view.' }]);
  });

  it('tells those listening the origin of every view that closes, closed by the page or by Steward', async () => {
    const r = await setup();
    const { id, spec, label } = await openDeclared(r);
    const heard: string[] = [];
    onTestFinished(r.t.host.apps.onClosed((closedLabel) => void heard.push(closedLabel)));
    r.t.host.apps.close(spec.viewId, 'the user closed it');
    const again = await r.t.host.apps.open(id, 'declared-view', HOST_ORIGIN);
    await r.t.host.servers.remove(id);
    expect(new URL(again.proxyUrl).hostname.split('.')[0]).toBe(label);
    expect(heard).toEqual([label, label]);
  });
});
