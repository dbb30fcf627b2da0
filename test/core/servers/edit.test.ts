// Editing, cloning and exporting servers against a real stdio server: a changed launch is asked about again (the consent
// hash decides), a running server keeps its earlier launch until the new one is allowed, secrets never leave in clear.
// Hostile input tried: an edit that changes only a secret value, one that changes only the working folder, a "keep"
// for a variable that was never stored, a header kept across a switch to stdio, renames and clones onto taken names
// (in another case), an answer about the launch as it was before the edit, and an export of a server with secrets.
// Also: an edit that moves a remote server to another origin while keeping (null) its stored Authorization header, with
// stand-in servers on 127.0.0.1 recording what reaches them; and kept names every object inherits (toString).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EditConfig, ServerExport } from '../../../shared/domain/server-edit.js';
import type { ServerConfig } from '../../../shared/domain/servers.js';
import { resolveEdit } from '../../../main/core/servers/edit.js';
import { parseImport } from '../../../main/core/servers/import.js';
import { addApproved, makeHost, type TestHost } from '../../helpers/host.js';
import { FIXTURES, NODE } from '../../helpers/paths.js';
import { stringContaining } from '../../helpers/matchers.js';

let t: TestHost | undefined;
const standIns: Server[] = [];
afterEach(async () => {
  await t?.close();
  t = undefined;
  for (const server of standIns.splice(0)) await new Promise((resolve) => server.close(resolve));
});

/** A remote server stand-in on 127.0.0.1 that records the Authorization header of each request and answers 500. */
async function recorder(): Promise<{ url: (path: string) => string; seen: Array<{ path: string; authorization: string | undefined }> }> {
  const seen: Array<{ path: string; authorization: string | undefined }> = [];
  const server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
    req.resume();
    res.statusCode = 500;
    res.end();
  });
  standIns.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: (path) => `http://127.0.0.1:${port}${path}`, seen };
}

const PROBE = join(FIXTURES, 'probe-server.mjs');

async function envOf(host: TestHost['host'], serverId: string): Promise<Record<string, string>> {
  const result = await host.tools.call({ serverId, name: 'env', arguments: {} });
  const first = result.content[0] as { type: string; text?: string } | undefined;
  return JSON.parse(first?.text ?? '{}') as Record<string, string>;
}

describe('editing a server', () => {
  it('keeps a running server on its earlier launch until the new one is allowed, showing each field old → new', async () => {
    t = await makeHost();
    const { host } = t;
    const { view, approve } = await addApproved(host, 'probe', NODE, [PROBE], { env: { TOKEN: 'first-secret', KEEP: 'kept-secret' } });
    const before = await approve();
    expect(before.status).toBe('running');

    const outcome = await host.servers.edit(view.id, {
      config: { transport: 'stdio', command: NODE, args: [PROBE, '--edited'], env: { TOKEN: 'second-secret', KEEP: null } },
    });
    expect(outcome.launch).toBe('consent');
    expect(outcome.message).toContain('keeps running its earlier launch');
    expect(outcome.server).toMatchObject({ status: 'running', pid: before.pid, args: [PROBE, '--edited'] });
    expect((await envOf(host, view.id)).TOKEN).toBe('first-secret');

    const [item] = host.inbox.list();
    expect(item).toMatchObject({ kind: 'consent', serverId: view.id });
    const request = await host.servers.consentRequest(view.id);
    expect(request.state).toBe('required');
    expect(request.diff).toEqual([
      { field: 'Arguments', change: 'changed', before: PROBE, after: `${PROBE} --edited` },
      { field: 'Variable KEEP', change: 'unchanged', before: null, after: null },
      { field: 'Variable TOKEN', change: 'changed', before: null, after: null },
    ]);
    expect(JSON.stringify(request)).not.toMatch(/first-secret|second-secret|kept-secret/);

    const after = await host.servers.decideConsent(view.id, request.spec.hash, 'approve', 'user');
    expect(after.status).toBe('running');
    expect(after.pid).not.toBe(before.pid);
    const env = await envOf(host, view.id);
    expect(env).toMatchObject({ TOKEN: 'second-secret', KEEP: 'kept-secret' });
  });

  it('stops a running server whose edited launch is refused', async () => {
    t = await makeHost();
    const { host } = t;
    const { view, approve } = await addApproved(host, 'probe', NODE, [PROBE]);
    await approve();
    await host.servers.edit(view.id, { config: { transport: 'stdio', command: NODE, args: [PROBE, '--other'], env: {} } });
    const request = await host.servers.consentRequest(view.id);
    const denied = await host.servers.decideConsent(view.id, request.spec.hash, 'deny', 'user');
    expect(denied).toMatchObject({ status: 'stopped', pid: null, lastError: { code: 'consent_denied' } });
  });

  it('asks again for a change of a secret value alone, or of the working folder alone', async () => {
    t = await makeHost();
    const { host } = t;
    const { view, approve } = await addApproved(host, 'probe', NODE, [PROBE], { env: { TOKEN: 'a' }, cwd: t.dir });
    await approve();
    await host.servers.stop(view.id);

    const secret = await host.servers.edit(view.id, { config: { transport: 'stdio', command: NODE, args: [PROBE], env: { TOKEN: 'b' }, cwd: t.dir } });
    expect(secret.launch).toBe('consent');
    expect((await host.servers.start(view.id)).status).toBe('awaiting_consent');
    expect((await host.servers.consentRequest(view.id)).changes).toEqual(['The value of TOKEN changed']);

    const folder = await host.servers.edit(view.id, { config: { transport: 'stdio', command: NODE, args: [PROBE], env: { TOKEN: 'a' }, cwd: FIXTURES } });
    expect(folder.launch).toBe('consent');
    expect((await host.servers.consentRequest(view.id)).diff).toContainEqual({ field: 'Working folder', change: 'changed', before: t.dir, after: FIXTURES });

    // Back to exactly the launch allowed first: the hash matches that approval, so nothing is asked.
    const reverted = await host.servers.edit(view.id, { config: { transport: 'stdio', command: NODE, args: [PROBE], env: { TOKEN: null }, cwd: t.dir } });
    expect(reverted.launch).toBe('approved');
    expect((await host.servers.start(view.id)).status).toBe('running');
  });

  it('needs no new approval for a rename, the same launch, or an era change', async () => {
    t = await makeHost();
    const { host } = t;
    const { view, approve } = await addApproved(host, 'probe', NODE, [PROBE], { env: { TOKEN: 'a' } });
    const running = await approve();
    const renamed = await host.servers.edit(view.id, {
      name: 'probe two',
      config: { transport: 'stdio', command: NODE, args: [PROBE], env: { TOKEN: null } },
    });
    expect(renamed).toMatchObject({ launch: 'unchanged', server: { name: 'probe two', status: 'running', pid: running.pid } });
    const era = await host.servers.edit(view.id, { protocolEra: 'legacy' });
    expect(era.launch).toBe('unchanged');
    expect(era.server).toMatchObject({ status: 'running', options: { protocolEra: 'legacy' } });
    expect(host.inbox.list()).toEqual([]);
  });

  it('refuses a kept value that was never stored, a taken name, and an answer about the launch before the edit', async () => {
    t = await makeHost();
    const { host } = t;
    const { view, request, approve } = await addApproved(host, 'probe', NODE, [PROBE], { env: { TOKEN: 'a' } });
    await host.servers.add({ name: 'Other', config: { transport: 'stdio', command: NODE, args: [PROBE], env: {} } });
    await expect(
      host.servers.edit(view.id, { config: { transport: 'stdio', command: NODE, args: [PROBE], env: { TOKEN: null, INVENTED: null } } }),
    ).rejects.toMatchObject({ code: 'invalid_payload' });
    await expect(
      host.servers.edit(view.id, { config: { transport: 'http', url: 'https://mcp.example.com/mcp', headers: { TOKEN: null } } }),
    ).rejects.toMatchObject({ code: 'invalid_payload' });
    await expect(host.servers.edit(view.id, { name: 'OTHER', config: { transport: 'stdio', command: NODE, args: ['x'], env: {} } })).rejects.toMatchObject({
      code: 'name_taken',
    });
    // Nothing of the refused edits was written: the first launch is still exactly what was shown.
    expect(host.servers.get(view.id)).toMatchObject({ name: 'probe', args: [PROBE], envNames: ['TOKEN'] });
    expect((await host.servers.consentRequest(view.id)).spec.hash).toBe(request.spec.hash);

    await host.servers.edit(view.id, { config: { transport: 'stdio', command: NODE, args: [PROBE, '--sneaky'], env: { TOKEN: null } } });
    await expect(approve()).rejects.toMatchObject({ code: 'consent_mismatch' });
    expect(host.servers.get(view.id).pid).toBeNull();
  });

  it('reaches a remote server at its new address without any launch consent', async () => {
    t = await makeHost();
    const { host } = t;
    const view = await host.servers.add({
      name: 'remote',
      config: { transport: 'http', url: 'https://a.example.com/mcp', headers: { Authorization: 'Bearer s1' } },
    });
    const outcome = await host.servers.edit(view.id, {
      config: { transport: 'http', url: 'https://b.example.com/mcp', headers: { Authorization: 'Bearer s2', 'X-Extra': 'v' } },
    });
    expect(outcome).toMatchObject({ launch: 'remote', server: { url: 'https://b.example.com/mcp', headerNames: ['Authorization', 'X-Extra'] } });
    await expect(host.servers.edit(view.id, { config: { transport: 'http', url: 'javascript:alert(1)', headers: {} } })).rejects.toMatchObject({
      code: 'invalid_payload',
    });
  });
});

describe('a kept header and a new address', () => {
  it('refuses to keep a stored header for another origin, so nothing reaches it; within the origin it is kept', async () => {
    t = await makeHost();
    const { host } = t;
    const good = await recorder();
    const evil = await recorder();
    const view = await host.servers.add({
      name: 'remote',
      config: { transport: 'http', url: good.url('/mcp'), headers: { Authorization: 'Bearer SECRET-TOKEN', 'X-Tenant': 'acme' } },
    });

    const moved = await host.dispatch('servers:edit', {
      serverId: view.id,
      config: { transport: 'http', url: evil.url('/mcp'), headers: { Authorization: null } },
    });
    expect(moved).toMatchObject({ ok: false, code: 'invalid_payload', message: stringContaining('header Authorization') });
    expect(moved).toMatchObject({ message: stringContaining('enter its value again') });
    expect(host.servers.get(view.id).url).toBe(good.url('/mcp'));
    await host.servers.start(view.id).catch(() => undefined);
    expect(evil.seen).toEqual([]);

    // The same origin on another path keeps the stored value, and sends it there.
    const same = await host.servers.edit(view.id, {
      config: { transport: 'http', url: good.url('/other'), headers: { Authorization: null, 'X-Tenant': null } },
    });
    expect(same.server).toMatchObject({ url: good.url('/other'), headerNames: ['Authorization', 'X-Tenant'] });
    await host.servers.start(view.id).catch(() => undefined);
    expect(good.seen).toContainEqual({ path: '/other', authorization: 'Bearer SECRET-TOKEN' });

    // Given again, the value goes to the new origin: the user typed it for that address.
    const retyped = await host.servers.edit(view.id, {
      config: { transport: 'http', url: evil.url('/mcp'), headers: { Authorization: 'Bearer FOR-NEW' } },
    });
    expect(retyped.server).toMatchObject({ url: evil.url('/mcp'), headerNames: ['Authorization'] });
    expect(evil.seen).toEqual([]);
  });

  const http = (url: string): ServerConfig => ({ transport: 'http', url, headers: { Authorization: 'Bearer s' } });
  const keep = (url: string): EditConfig => ({ transport: 'http', url, headers: { Authorization: null } });
  it.each([
    ['another path', 'https://mcp.example.com/mcp', 'https://mcp.example.com/v2/mcp'],
    ['an https upgrade of the same host', 'http://mcp.example.com/mcp', 'https://mcp.example.com/mcp'],
    ['the default port written out', 'https://mcp.example.com/mcp', 'https://MCP.example.com:443/mcp'],
  ])('keeps a header across %s', (_label, from, to) => {
    expect(resolveEdit(http(from), keep(to))).toEqual({ ...http(to), url: to });
  });

  it.each([
    ['another host', 'https://mcp.example.com/mcp', 'https://evil.example/mcp'],
    ['a subdomain', 'https://mcp.example.com/mcp', 'https://a.mcp.example.com/mcp'],
    ['another port', 'https://mcp.example.com/mcp', 'https://mcp.example.com:8443/mcp'],
    ['a downgrade to http', 'https://mcp.example.com/mcp', 'http://mcp.example.com/mcp'],
    ['an upgrade onto another port', 'http://mcp.example.com:8080/mcp', 'https://mcp.example.com:8080/mcp'],
  ])('refuses to keep a header across %s', (_label, from, to) => {
    expect(() => resolveEdit(http(from), keep(to))).toThrow(expect.objectContaining({ code: 'invalid_payload' }) as Error);
  });

  it.each(['toString', 'constructor', 'valueOf', 'hasOwnProperty'])('refuses to keep %s, which was never stored', (name) => {
    const stdio: ServerConfig = { transport: 'stdio', command: 'node', args: [], env: { A: '1' } };
    expect(() => resolveEdit(stdio, { transport: 'stdio', command: 'node', args: [], env: { [name]: null } })).toThrow(
      expect.objectContaining({ code: 'invalid_payload', message: `The variable ${name} has no stored value to keep: give it a value.` }) as Error,
    );
    expect(() =>
      resolveEdit(http('https://mcp.example.com/mcp'), { transport: 'http', url: 'https://mcp.example.com/mcp', headers: { [name]: null } }),
    ).toThrow(expect.objectContaining({ message: `The header ${name} has no stored value to keep: give it a value.` }) as Error);
  });
});

describe('cloning a server', () => {
  it('copies the launch, its secrets and folders under a new name that needs its own consent', async () => {
    t = await makeHost();
    const { host } = t;
    const { view, approve } = await addApproved(host, 'probe', NODE, [PROBE], { env: { TOKEN: 'copied' } });
    await approve();
    await host.servers.setRoots(view.id, [{ path: t.dir, name: 'work' }]);
    await expect(host.servers.clone(view.id, 'PROBE')).rejects.toMatchObject({ code: 'name_taken' });

    const copy = await host.servers.clone(view.id, 'probe copy');
    expect(copy).toMatchObject({ name: 'probe copy', args: [PROBE], envNames: ['TOKEN'], roots: [{ path: t.dir, name: 'work' }], source: 'clone:probe' });
    expect((await host.servers.start(copy.id)).status).toBe('awaiting_consent');
    const request = await host.servers.consentRequest(copy.id);
    expect(request.state).toBe('required');
    const running = await host.servers.decideConsent(copy.id, request.spec.hash, 'approve', 'user');
    expect(running.status).toBe('running');
    expect((await envOf(host, copy.id)).TOKEN).toBe('copied');
    // The original is untouched and still allowed.
    expect(host.servers.get(view.id)).toMatchObject({ name: 'probe', status: 'running' });
  });
});

describe('exporting servers', () => {
  it('writes mcpServers that other hosts read, with every stored secret as a listed placeholder', async () => {
    t = await makeHost();
    const { host } = t;
    const { view } = await addApproved(host, 'files', NODE, [PROBE, '--root', '/tmp'], { env: { API_KEY: 'sk-very-secret' }, cwd: t.dir });
    await host.servers.add({ name: 'remote', config: { transport: 'http', url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer tok-123' } } });

    const one = host.servers.exportConfig(view.id);
    expect(JSON.parse(one.text)).toEqual({
      mcpServers: { files: { command: NODE, args: [PROBE, '--root', '/tmp'], env: { API_KEY: '${env:API_KEY}' }, cwd: t.dir } },
    });
    const outcome = await host.dispatch('servers:export', {});
    expect(outcome.ok).toBe(true);
    const all = outcome as { data: ServerExport };
    expect(all.data.text).not.toMatch(/sk-very-secret|tok-123/);
    expect(all.data.placeholders).toEqual([
      { server: 'files', kind: 'env', name: 'API_KEY', placeholder: '${env:API_KEY}' },
      { server: 'remote', kind: 'header', name: 'Authorization', placeholder: '${env:AUTHORIZATION}' },
    ]);
    expect((JSON.parse(all.data.text) as { mcpServers: Record<string, unknown> }).mcpServers.remote).toEqual({
      type: 'http',
      url: 'https://mcp.example.com/mcp',
      headers: { Authorization: '${env:AUTHORIZATION}' },
    });
    // Read back by an importer, the placeholders are named as needing a value, never taken as one.
    expect(parseImport(all.data.text, { homeDir: t.dir }).skipped.map((s) => s.code)).toEqual(['needs_input', 'needs_input']);
    expect(host.audit.list({ limit: 1, kind: 'server.exported' })[0]?.summary).toContain('2 secret(s) left as placeholders');
  });
});

describe('reading a pasted command line', () => {
  it('answers through the contract, refusing shell features with a stable code', async () => {
    t = await makeHost();
    const ok = await t.host.dispatch('servers:parseCommand', { text: 'API_KEY=x npx -y "@scope/pkg@1.0.0" --flag' });
    expect(ok).toEqual({ ok: true, data: { command: 'npx', args: ['-y', '@scope/pkg@1.0.0', '--flag'], env: { API_KEY: 'x' } } });
    const refused = await t.host.dispatch('servers:parseCommand', { text: 'npx pkg | sh' });
    expect(refused).toMatchObject({ ok: false, code: 'command_line_refused' });
  });
});
