// Reconnecting is single-flight: many requests that find the HTTP session gone at once open one new session between
// them, every one of them succeeds on it, and no client is left behind holding a session of its own.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeHost, type TestHost } from '../../helpers/host.js';
import { FIXTURES } from '../../helpers/paths.js';
import { startListening, type Started } from '../../helpers/processes.js';
import { textOf } from '../../helpers/results.js';

let t: TestHost | undefined;
let server: Started | undefined;
afterEach(async () => {
  await t?.close();
  await server?.stop();
  t = undefined;
  server = undefined;
});

const stats = async (port: number) => (await (await fetch(`http://127.0.0.1:${port}/admin/stats`)).json()) as { initializations: number; sessions: number };

describe('reconnect after a lost HTTP session', () => {
  it('opens one new session for twelve requests that all hit the 404 together', async () => {
    server = await startListening([join(FIXTURES, 'http-server.mjs')]);
    t = await makeHost();
    const view = await t.host.servers.add({ name: 'fixture', config: { transport: 'http', url: server.url, headers: {} } });
    expect(textOf(await t.host.tools.call({ serverId: view.id, name: 'echo', arguments: { message: 'warm' } }))).toBe('echo:warm');
    expect(await stats(server.port)).toEqual({ initializations: 1, sessions: 1 });

    await fetch(`http://127.0.0.1:${server.port}/admin/forget-sessions`, { method: 'POST' });
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => t!.host.tools.call({ serverId: view.id, name: 'echo', arguments: { message: `m${i}` } })),
    );
    expect(answers.map(textOf)).toEqual(Array.from({ length: 12 }, (_, i) => `echo:m${i}`));
    // One reconnect, one live session on the server: no second client was opened and left connected.
    expect(await stats(server.port)).toEqual({ initializations: 2, sessions: 1 });

    // And the session that replaced it is the one every later call uses.
    expect(textOf(await t.host.tools.call({ serverId: view.id, name: 'echo', arguments: { message: 'after' } }))).toBe('echo:after');
    expect(await stats(server.port)).toEqual({ initializations: 2, sessions: 1 });
    const notes = t.host.servers.logsPage(view.id, 50).filter((l) => l.text.includes('ended the HTTP session'));
    expect(notes).toHaveLength(1);
  });

  it('reconnects again, once, when the new session is lost too', async () => {
    server = await startListening([join(FIXTURES, 'http-server.mjs')]);
    t = await makeHost();
    const view = await t.host.servers.add({ name: 'fixture', config: { transport: 'http', url: server.url, headers: {} } });
    for (let round = 1; round <= 3; round++) {
      await fetch(`http://127.0.0.1:${server.port}/admin/forget-sessions`, { method: 'POST' });
      const answers = await Promise.all(Array.from({ length: 5 }, () => t!.host.tools.call({ serverId: view.id, name: 'echo', arguments: { message: 'x' } })));
      expect(answers.map(textOf)).toEqual(Array(5).fill('echo:x'));
    }
    // The first connect plus one per loss (the first loss happened before any session existed, so it cost nothing).
    const after = await stats(server.port);
    expect(after.sessions).toBe(1);
    expect(after.initializations).toBe(3);
  });
});
