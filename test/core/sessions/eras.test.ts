// Both protocol eras against servers on the SDK v2 server package (modern-only, legacy-only, dual; stdio and HTTP):
// the era negotiated per server (auto by default, pinnable), shown on the view, a refused pin kept as the failure,
// and a 2026-07-28 input_required question handled by the same inbox as a 2025 server request.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProtocolEraSetting } from '../../../shared/domain/servers.js';
import type { Host } from '../../../main/core/host.js';
import { features } from '../../../main/core/sessions/index.js';
import { addApproved, makeHost, type TestHost } from '../../helpers/host.js';
import { FIXTURES, NODE } from '../../helpers/paths.js';
import { startListening, type Started } from '../../helpers/processes.js';
import { textOf } from '../../helpers/results.js';
import { nextInboxItem } from '../../helpers/inbox.js';

const ERA_SERVER = join(FIXTURES, 'era-server.mjs');

let t: TestHost | undefined;
let server: Started | undefined;
afterEach(async () => {
  await t?.close();
  await server?.stop();
  t = undefined;
  server = undefined;
});

type Mode = 'modern' | 'legacy' | 'dual';

/** Adds the fixture in `mode` over `transport`, with the era setting given (the default when absent). */
async function addEraServer(mode: Mode, transport: 'stdio' | 'http', era?: ProtocolEraSetting): Promise<{ host: Host; serverId: string }> {
  t = await makeHost();
  const host = t.host;
  if (transport === 'http') {
    server = await startListening([ERA_SERVER, `--era=${mode}`, '--http']);
    const view = await host.servers.add({
      name: `era-${mode}`,
      config: { transport: 'http', url: server.url, headers: {} },
      ...(era ? { options: { protocolEra: era } } : {}),
    });
    return { host, serverId: view.id };
  }
  const { view } = await addApproved(host, `era-${mode}`, NODE, [ERA_SERVER, `--era=${mode}`]);
  if (era) await host.servers.update(view.id, { options: { protocolEra: era } });
  const request = await host.servers.consentRequest(view.id);
  await host.servers.decideConsent(view.id, request.spec.hash, 'approve', 'user').catch(() => undefined);
  return { host, serverId: view.id };
}

describe('protocol eras', () => {
  const cases: { mode: Mode; transport: 'stdio' | 'http'; era: 'modern' | 'legacy'; version: string }[] = [
    { mode: 'modern', transport: 'stdio', era: 'modern', version: '2026-07-28' },
    { mode: 'legacy', transport: 'stdio', era: 'legacy', version: '2025-11-25' },
    { mode: 'dual', transport: 'stdio', era: 'modern', version: '2026-07-28' },
    { mode: 'modern', transport: 'http', era: 'modern', version: '2026-07-28' },
    { mode: 'legacy', transport: 'http', era: 'legacy', version: '2025-11-25' },
    { mode: 'dual', transport: 'http', era: 'modern', version: '2026-07-28' },
  ];
  for (const c of cases) {
    it(`auto speaks ${c.era} to a ${c.mode} server over ${c.transport}, and shows it`, async () => {
      const { host, serverId } = await addEraServer(c.mode, c.transport);
      await host.servers.ensureRunning(serverId);
      expect(host.servers.get(serverId)).toMatchObject({ status: 'running', era: c.era, protocolVersion: c.version, options: { protocolEra: 'auto' } });
      expect(textOf(await host.tools.call({ serverId, name: 'echo', arguments: { text: c.mode } }))).toBe(`echo:${c.mode}`);
      const prompts = await features.listPrompts(await host.servers.ensureRunning(serverId));
      expect(prompts.items.map((p) => p.name)).toEqual(['greet']);
    });
  }

  it('a dual server pinned to legacy speaks 2025-11-25', async () => {
    const { host, serverId } = await addEraServer('dual', 'stdio', 'legacy');
    await host.servers.ensureRunning(serverId);
    expect(host.servers.get(serverId)).toMatchObject({ era: 'legacy', protocolVersion: '2025-11-25', options: { protocolEra: 'legacy' } });
  });

  it('a pin the server does not speak fails with the reason kept, and never falls back', async () => {
    const { host, serverId } = await addEraServer('modern', 'stdio', 'legacy');
    await expect(host.servers.ensureRunning(serverId)).rejects.toMatchObject({ code: 'unsupported_protocol_version' });
    const view = host.servers.get(serverId);
    expect(view).toMatchObject({ status: 'error', era: null, lastError: { code: 'unsupported_protocol_version' } });

    const http = await addEraServer('legacy', 'http', 'modern');
    await expect(http.host.servers.ensureRunning(http.serverId)).rejects.toBeDefined();
    expect(http.host.servers.get(http.serverId)).toMatchObject({ status: 'error', era: null });
    expect(http.host.servers.get(http.serverId).lastError?.message).toMatch(/2026-07-28/);
  });

  it('changing the setting of a running server reconnects it in the era asked for', async () => {
    const { host, serverId } = await addEraServer('dual', 'stdio');
    await host.servers.ensureRunning(serverId);
    expect(host.servers.get(serverId).era).toBe('modern');
    await host.servers.update(serverId, { options: { protocolEra: 'legacy' } });
    await host.servers.ensureRunning(serverId);
    expect(host.servers.get(serverId)).toMatchObject({ status: 'running', era: 'legacy' });
  });

  for (const mode of ['modern', 'legacy'] as const) {
    it(`a ${mode} server's elicitation lands in the inbox, and the answer reaches the tool`, async () => {
      const { host, serverId } = await addEraServer(mode, 'stdio');
      await host.servers.ensureRunning(serverId);
      const call = host.tools.call({ serverId, name: 'confirm', arguments: { action: 'deploy' } });
      const item = await nextInboxItem(host, 'elicitation');
      expect(item.request.message).toBe('Really deploy?');
      await host.inbox.decide(item.id, { kind: 'elicitation', action: 'accept', content: { sure: true } });
      expect(textOf(await call)).toBe('accept:{"sure":true}');
      const audit = host.audit.list({ serverId, limit: 100 }).map((e) => e.kind);
      expect(audit).toContain('elicitation.answered');
    });
  }

  it('a declined 2026-07-28 question is sent back as a decline on the retry', async () => {
    const { host, serverId } = await addEraServer('modern', 'http');
    const call = host.tools.call({ serverId, name: 'confirm', arguments: { action: 'drop tables' } });
    const item = await nextInboxItem(host, 'elicitation');
    await host.inbox.decide(item.id, { kind: 'elicitation', action: 'decline' });
    expect(textOf(await call)).toBe('decline:{}');
  });

  it('a 2026-07-28 read is not fetched again inside its ttlMs; with ttlMs 0 it always is', async () => {
    for (const [ttl, expected] of [
      ['60000', '1'],
      ['0', '3'],
    ] as const) {
      server = await startListening([ERA_SERVER, '--era=modern', '--http'], { CACHE_TTL_MS: ttl });
      t = await makeHost();
      const view = await t.host.servers.add({ name: 'cached', config: { transport: 'http', url: server.url, headers: {} } });
      const session = await t.host.servers.ensureRunning(view.id);
      for (let i = 0; i < 3; i++) expect((await session.readResource('note://cached')).contents[0]).toMatchObject({ uri: 'note://cached' });
      expect(textOf(await t.host.tools.call({ serverId: view.id, name: 'reads', arguments: {} }))).toBe(expected);
      await t.close();
      await server.stop();
      t = undefined;
      server = undefined;
    }
  });

  it('roots are answered from the grants in both eras', async () => {
    for (const mode of ['modern', 'legacy'] as const) {
      const { host, serverId } = await addEraServer(mode, 'stdio');
      await host.servers.setRoots(serverId, [{ path: t!.dir }]);
      const result = textOf(await host.tools.call({ serverId, name: 'where', arguments: {} }));
      expect(result).toBe(`roots:file://${t!.dir}`);
      await t!.close();
      t = undefined;
    }
  });
});
