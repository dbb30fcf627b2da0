// The composition root's parts, each alone on fakes: what a server is offered, which records answer a question, when a
// view may start its server and what counts as a new launch of it, what a tool call puts on record, and the one-time
// registration of the bundled examples.
import { describe, expect, it } from 'vitest';
import { StewardError } from '../../shared/errors.js';
import type { ServerInput } from '../../shared/domain/servers.js';
import type { McpSession } from '../../main/core/sessions/index.js';
import type { ServerRecord } from '../../main/core/store/index.js';
import {
  hostCapabilities,
  registerBundled,
  relatedTaskOf,
  remoteServerOf,
  taskServerOf,
  toolAcquirer,
  toolCallRecorder,
  viewServerOf,
  viewSession,
} from '../../main/core/wiring.js';
import { memorySettings } from '../helpers/memory-ports.js';

const record = (over: Partial<ServerRecord>): ServerRecord => ({ id: 's1', name: 'one', desiredState: 'stopped', ...over }) as ServerRecord;
const rows = (...records: ServerRecord[]) => ({ get: (id: string) => records.find((r) => r.id === id) });
const session = { key: 'k' } as unknown as McpSession;

describe('the composition root’s parts', () => {
  it('offers sampling with tools only to a server whose policy allows them', () => {
    const capabilities = hostCapabilities((id) => id === 'trusted');
    expect(capabilities('trusted')).toMatchObject({ sampling: { tools: true }, elicitation: { form: true, url: true }, apps: true });
    expect(capabilities('other').sampling).toEqual({ tools: false });
  });

  it('names a remote server for sign-in, and never a local or unknown one', () => {
    const servers = rows(
      record({ id: 'r', name: 'remote', config: { transport: 'http', url: 'https://mcp.example.com/', headerNames: [] } }),
      record({ id: 'l', name: 'local', config: { transport: 'stdio', command: 'node', args: [], env: {} } as unknown as ServerRecord['config'] }),
    );
    const of = remoteServerOf(servers);
    expect(of('r')).toEqual({ name: 'remote', url: 'https://mcp.example.com/' });
    expect(of('l')).toBeUndefined();
    expect(of('gone')).toBeUndefined();
    expect(taskServerOf(servers)('l')).toEqual({ name: 'local', transport: 'stdio' });
    expect(taskServerOf(servers)('gone')).toBeUndefined();
  });

  it('finds our task behind a server’s related-task id: only an outgoing one of that server, this process’s own first', () => {
    const asked: unknown[] = [];
    const self = { pid: 42, started: 'me' };
    const related = relatedTaskOf(
      {
        byRemote: (serverId, direction, remoteId, owner) => {
          asked.push([serverId, direction, remoteId, owner]);
          return remoteId === 'known' ? ({ id: 't1', label: 'Index the docs' } as never) : undefined;
        },
      },
      self,
    );
    expect(related('s1', 'known')).toEqual({ taskId: 't1', label: 'Index the docs' });
    expect(related('s1', 'forged')).toBeNull();
    expect(asked).toEqual([
      ['s1', 'outgoing', 'known', self],
      ['s1', 'outgoing', 'forged', self],
    ]);
  });

  it('tells a view where its server runs, and counts new package versions as a new launch, not a new pin date', () => {
    const pin = { ecosystem: 'npm', name: 'pkg', requested: '^1', version: '1.0.0', integrity: 'sha512-a', bin: null, pinnedAt: 'then' } as const;
    const stdio: ServerRecord['config'] = { transport: 'stdio', command: 'npx', args: ['pkg'], envNames: [] };
    const of = (over: Partial<ServerRecord>) => viewServerOf(rows(record({ id: 's', config: stdio, pins: [pin], ...over })))('s');
    expect(of({ config: { transport: 'http', url: 'http://localhost:3001/mcp', headerNames: [] }, pins: [] })).toMatchObject({
      transport: 'http',
      url: 'http://localhost:3001/mcp',
    });
    expect(of({})?.transport).toBe('stdio');
    expect(of({ pins: [{ ...pin, pinnedAt: 'now' }] })?.launch).toBe(of({})?.launch);
    expect(of({ pins: [{ ...pin, version: '1.1.0' }] })?.launch).not.toBe(of({})?.launch);
    expect(of({ pins: [{ ...pin, integrity: 'sha512-b' }] })?.launch).not.toBe(of({})?.launch);
    expect(viewServerOf(rows())('gone')).toBeUndefined();
  });

  it('lets a view use a live session, restart a server stopped for being idle, and never start one the user stopped', async () => {
    const started: string[] = [];
    const servers = {
      liveSession: (id: string) => (id === 'live' ? session : undefined),
      ensureRunning: (id: string) => {
        started.push(id);
        return Promise.resolve(session);
      },
    };
    const open = viewSession(servers, rows(record({ id: 'idle', desiredState: 'running' }), record({ id: 'stopped', desiredState: 'stopped' })));
    await expect(open('live')).resolves.toBe(session);
    await expect(open('idle')).resolves.toBe(session);
    await expect(open('stopped')).rejects.toMatchObject({ code: 'server_not_running' });
    await expect(open('gone')).rejects.toMatchObject({ code: 'server_not_running' });
    expect(started).toEqual(['idle']);
  });

  it('gives a tool call its session, the server’s name and timeout, and a release of the in-use mark', async () => {
    const uses: string[] = [];
    const acquire = toolAcquirer({
      ensureRunning: () => Promise.resolve(session),
      callSettings: () => ({ name: 'one', toolTimeoutSeconds: 42 }),
      beginUse: (id) => {
        uses.push(`begin ${id}`);
        return () => uses.push(`end ${id}`);
      },
    });
    const got = await acquire('s1');
    expect(got).toMatchObject({ session, serverName: 'one', timeoutSeconds: 42 });
    got.release();
    expect(uses).toEqual(['begin s1', 'end s1']);
  });

  it('puts a tool call on record with its argument names, never their values', () => {
    const recorded: unknown[] = [];
    const record = toolCallRecorder({ recordSoon: (kind, entry) => void recorded.push({ kind, ...entry }) });
    record({ serverId: 's1', serverName: 'one', tool: 'search', argumentNames: ['query'], outcome: 'ok', ms: 12 });
    expect(recorded).toEqual([
      {
        kind: 'tool.called',
        serverId: 's1',
        serverName: 'one',
        actor: 'user',
        summary: 'Called search on "one": ok in 12 ms.',
        data: { tool: 'search', argumentNames: ['query'], outcome: 'ok', ms: 12 },
      },
    ]);
  });

  it('registers the bundled examples once per data folder, skipping a name another process registered first', async () => {
    const settings = memorySettings();
    const names = new Set<string>();
    const added: string[] = [];
    const servers = {
      add: (input: ServerInput) => {
        // Another process wins the race for this one between the look-up and the insert.
        if (input.name === 'Folder Indexer') return Promise.reject(new StewardError('name_taken', 'taken'));
        added.push(input.name);
        names.add(input.name);
        return Promise.resolve({} as never);
      },
    };
    const lookup = { findByName: (name: string) => (names.has(name) ? ({} as ServerRecord) : undefined) };
    const bundled = { examplesDir: '/examples', runtime: { command: '/usr/bin/node', env: {} } };
    await registerBundled(settings, lookup, servers, bundled);
    expect(added.length).toBeGreaterThan(0);
    expect(settings.get('bundled.registered')).toBe(true);

    const before = added.length;
    await registerBundled(settings, lookup, servers, bundled);
    expect(added).toHaveLength(before);
  });

  it('does not mark the examples registered when adding one fails for another reason', async () => {
    const settings = memorySettings();
    const servers = { add: () => Promise.reject(new StewardError('internal_error', 'disk full')) };
    await expect(
      registerBundled(settings, { findByName: () => undefined }, servers, { examplesDir: '/x', runtime: { command: 'node', env: {} } }),
    ).rejects.toMatchObject({
      code: 'internal_error',
    });
    expect(settings.get('bundled.registered')).toBeUndefined();
  });
});
