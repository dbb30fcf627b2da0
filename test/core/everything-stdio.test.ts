// server-everything over real stdio, through the host: consent, tools, a call with progress, protocol logs.
import { afterEach, describe, expect, it } from 'vitest';
import { addApproved, makeHost, type TestHost } from '../helpers/host.js';
import { EVERYTHING, NODE } from '../helpers/paths.js';

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('server-everything over stdio', () => {
  it('needs consent, then lists and calls tools with progress', async () => {
    t = await makeHost();
    const { host } = t;
    const { view, approve } = await addApproved(host, 'everything', NODE, [EVERYTHING, 'stdio']);

    // Nothing runs before consent: starting asks instead.
    const waiting = await host.servers.start(view.id);
    expect(waiting.status).toBe('awaiting_consent');
    expect(waiting.pid).toBeNull();
    expect(host.inbox.list().map((i) => i.kind)).toEqual(['consent']);

    const running = await approve();
    expect(running.status).toBe('running');
    expect(running.protocolVersion).toBe('2025-11-25');
    expect(host.inbox.list()).toEqual([]);

    const tools = await (await host.servers.ensureRunning(view.id)).listTools();
    expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['echo', 'get-sum', 'trigger-long-running-operation']));

    const echo = await host.tools.call({ serverId: view.id, name: 'echo', arguments: { message: 'hello' } });
    expect(echo.isError).toBe(false);
    expect(JSON.stringify(echo.content)).toContain('hello');

    const progress: number[] = [];
    const off = host.events.on('calls:changed', (p) => progress.push(p.progress));
    const long = await host.tools.call({ serverId: view.id, name: 'trigger-long-running-operation', arguments: { duration: 1, steps: 3 }, callId: 'long-1' });
    off();
    expect(long.isError).toBe(false);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });
});
