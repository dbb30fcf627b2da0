// Stored server configurations: round trips, unique names whatever the case, cascading removal, damaged rows.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StewardError } from '../../../shared/errors.js';
import { openStore, type Store } from '../../../main/core/store/index.js';
import { serverRecord, tempDbDir, type TempDir } from './temp-store.js';

let tmp: TempDir;
let store: Store;
beforeEach(() => {
  tmp = tempDbDir();
  store = openStore(tmp.file);
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof StewardError ? error.code : `not a StewardError: ${String(error)}`;
  }
  return undefined;
}

describe('ServersRepo', () => {
  it('round-trips a stdio and an http server exactly', () => {
    const stdio = serverRecord('s1', 'files');
    const http = serverRecord('s2', 'remote', {
      config: { transport: 'http', url: 'https://mcp.example.com/mcp', headerNames: ['Authorization'] },
      desiredState: 'running',
    });
    store.servers.insert(stdio);
    store.servers.insert(http);
    expect(store.servers.get('s1')).toEqual(stdio);
    expect(store.servers.get('s2')).toEqual(http);
    expect(store.servers.get('nope')).toBeUndefined();
  });

  it('reads a row changed by another connection afresh, and hands out records nobody can change', () => {
    store.servers.insert(serverRecord('s1', 'files'));
    const first = store.servers.get('s1');
    expect(store.servers.get('s1')).toBe(first);
    // Another process (its own connection to the same file) renames the server and changes an option.
    const other = openStore(tmp.file);
    try {
      const current = other.servers.get('s1');
      if (!current) throw new Error('no row');
      other.servers.update({ ...current, name: 'files-2', options: { ...current.options, toolTimeoutSeconds: 7 }, updatedAt: new Date().toISOString() });
    } finally {
      other.close();
    }
    const again = store.servers.get('s1');
    expect(again).toMatchObject({ name: 'files-2', options: { toolTimeoutSeconds: 7 } });
    // One object goes to every reader, so none may change it for the others.
    expect(() => {
      (again as { name: string }).name = 'mutated';
    }).toThrow(TypeError);
    expect(() => (again?.roots as unknown[]).push('x')).toThrow(TypeError);
    expect(store.servers.get('s1')?.name).toBe('files-2');
  });

  it('writes nothing when the desired state or the last error is already what is asked (every start asks)', () => {
    store.servers.insert(serverRecord('s1', 'files'));
    const before = store.servers.get('s1');
    // Another process's view of the file: its data_version moves only when this connection commits a change.
    const other = openStore(tmp.file);
    try {
      const seen = other.changes.dataVersion();
      store.servers.setLastError('s1', null);
      store.servers.setDesiredState('s1', 'stopped', '2030-01-01T00:00:00.000Z');
      expect(other.changes.dataVersion()).toBe(seen);
      // The same record (not parsed again), with the time of the last real change.
      expect(store.servers.get('s1')).toBe(before);

      store.servers.setDesiredState('s1', 'running', '2030-01-01T00:00:00.000Z');
      expect(other.changes.dataVersion()).not.toBe(seen);
      expect(store.servers.get('s1')).toMatchObject({ desiredState: 'running', updatedAt: '2030-01-01T00:00:00.000Z' });
      const error = { code: 'server_crashed', message: 'It stopped.', stderrTail: [] };
      store.servers.setLastError('s1', error);
      expect(store.servers.get('s1')?.lastError).toEqual(error);
      const after = other.changes.dataVersion();
      store.servers.setLastError('s1', error);
      expect(other.changes.dataVersion()).toBe(after);
      store.servers.setLastError('s1', null);
      expect(store.servers.get('s1')?.lastError).toBeNull();
    } finally {
      other.close();
    }
  });

  it('lists by name, ignoring case', () => {
    for (const [id, name] of [
      ['1', 'beta'],
      ['2', 'Alpha'],
      ['3', 'gamma'],
    ] as const)
      store.servers.insert(serverRecord(id, name));
    expect(store.servers.list().map((s) => s.name)).toEqual(['Alpha', 'beta', 'gamma']);
  });

  it.each(['GitHub', 'github', 'GITHUB', 'gItHuB'])('finds "GitHub" by name as %s', (name) => {
    store.servers.insert(serverRecord('gh', 'GitHub'));
    expect(store.servers.findByName(name)?.id).toBe('gh');
  });

  it('does not find a name that only shares a prefix', () => {
    store.servers.insert(serverRecord('gh', 'GitHub'));
    expect(store.servers.findByName('Git')).toBeUndefined();
  });

  it('updates everything but the creation time and desired state', () => {
    store.servers.insert(serverRecord('s1', 'files'));
    const changed = serverRecord('s1', 'files-renamed', {
      config: { transport: 'stdio', command: 'uvx', args: ['mcp-server-fetch==1.0.0'], envNames: [] },
      sandbox: { enabled: false, writePaths: [], denyReadPaths: [], readPaths: [], allowedDomains: [] },
      roots: [],
      updatedAt: '2025-02-02T00:00:00.000Z',
      desiredState: 'running',
    });
    store.servers.update(changed);
    expect(store.servers.get('s1')).toEqual({ ...changed, desiredState: 'stopped' });
    expect(store.servers.findByName('files')).toBeUndefined();

    store.servers.setDesiredState('s1', 'running', '2025-03-03T00:00:00.000Z');
    expect(store.servers.get('s1')).toMatchObject({ desiredState: 'running', updatedAt: '2025-03-03T00:00:00.000Z' });
  });

  it.each(['files', 'FILES', 'Files'])('refuses a second server named %s', (name) => {
    store.servers.insert(serverRecord('s1', 'files'));
    expect(codeOf(() => store.servers.insert(serverRecord('s2', name)))).toBe('name_taken');
    expect(store.servers.list()).toHaveLength(1);
  });

  it('refuses renaming onto a taken name, and keeps both rows as they were', () => {
    store.servers.insert(serverRecord('s1', 'files'));
    store.servers.insert(serverRecord('s2', 'fetch'));
    expect(codeOf(() => store.servers.update(serverRecord('s2', 'Files')))).toBe('name_taken');
    expect(store.servers.get('s2')?.name).toBe('fetch');
  });

  it('removing a server removes its consents, logs and session records, and nothing of other servers', () => {
    for (const id of ['gone', 'kept']) {
      store.servers.insert(serverRecord(id));
      store.consents.record({ serverId: id, specHash: 'h', spec: '{}', decision: 'approved', decidedBy: 'user', decidedAt: '2025-01-01T00:00:00.000Z' });
      store.logs.append([{ serverId: id, ts: '2025-01-01T00:00:00.000Z', stream: 'stderr', level: 'info', text: `hello from ${id}` }]);
      store.owners.holdSession(id, { pid: 1, started: 't0' }, '2025-01-01T00:00:00.000Z');
      store.processes.record({
        pid: id === 'gone' ? 100 : 101,
        started: 't0',
        role: 'server',
        serverId: id,
        command: 'node server.mjs',
        owner: { pid: 1, started: 't0' },
        recordedAt: '2025-01-01T00:00:00.000Z',
      });
      store.audit.append({
        ts: '2025-01-01T00:00:00.000Z',
        kind: 'server.added',
        serverId: id,
        serverName: id,
        actor: 'user',
        summary: `added ${id}`,
        data: {},
      });
    }
    store.servers.remove('gone');

    expect(store.servers.get('gone')).toBeUndefined();
    expect(store.consents.latest('gone')).toBeUndefined();
    expect(store.logs.page('gone', 100)).toEqual([]);
    expect(store.owners.sessions('gone')).toEqual([]);
    const leftovers = store.db
      .prepare(
        "SELECT (SELECT count(*) FROM consents WHERE server_id = 'gone') + (SELECT count(*) FROM server_logs WHERE server_id = 'gone') + (SELECT count(*) FROM server_sessions WHERE server_id = 'gone')",
      )
      .pluck()
      .get();
    expect(leftovers).toBe(0);

    expect(store.consents.latest('kept')?.specHash).toBe('h');
    expect(store.logs.page('kept', 100).map((l) => l.text)).toEqual(['hello from kept']);
    expect(store.owners.sessions('kept')).toEqual([{ serverId: 'kept', pid: 1, started: 't0' }]);
    // A process record outlives its server: what still runs must be found and stopped even after the server is gone.
    expect(store.processes.ofServer('gone').map((p) => p.pid)).toEqual([100]);
    // The audit record outlives the server it describes.
    expect(store.audit.list({ limit: 10, serverId: 'gone' })).toHaveLength(1);
  });

  const damage: Array<{ column: string; value: string }> = [
    { column: 'config', value: 'not json{' },
    { column: 'config', value: '{"transport":"stdio"}' },
    { column: 'config', value: '{"transport":"ftp","url":"x"}' },
    { column: 'sandbox', value: '{"writePaths":"/"}' },
    { column: 'options', value: '{"toolTimeoutSeconds":-5}' },
    { column: 'roots', value: 'null' },
    { column: 'roots', value: '[{"name":"no path"}]' },
  ];

  it.each(damage)('a damaged $column ($value) reads as config_invalid, not a crash', ({ column, value }) => {
    store.servers.insert(serverRecord('s1', 'broken'));
    store.db.prepare(`UPDATE servers SET ${column} = ? WHERE id = 's1'`).run(value);
    expect(codeOf(() => store.servers.get('s1'))).toBe('config_invalid');
    expect(codeOf(() => store.servers.findByName('broken'))).toBe('config_invalid');
    // One damaged row hides nothing else, and can still be removed.
    store.servers.insert(serverRecord('s2', 'healthy'));
    expect(store.servers.list().map((r) => r.name)).toEqual(['healthy']);
    store.servers.remove('s1');
    expect(store.servers.get('s1')).toBeUndefined();
  });

  it('names the damaged server in the message', () => {
    store.servers.insert(serverRecord('s1', 'broken-one'));
    store.db.prepare("UPDATE servers SET config = 'garbage' WHERE id = 's1'").run();
    expect(() => store.servers.get('s1')).toThrow(/"broken-one"/);
  });
});
