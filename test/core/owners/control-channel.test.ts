// The control channel as a hostile local process would use it: raw Unix-socket connections with 600 malformed
// messages (junk bytes, broken and wrong-shaped JSON, wrong tokens, unknown operations, bad arguments, prototype keys,
// oversized lines, half-sent lines, floods of connections). None is carried out, none crashes the host, and afterwards
// a good request still works.
import { existsSync, rmSync, statSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { controlRequest, MAX_REQUEST_BYTES, startControlServer } from '../../../main/core/owners/index.js';
import { openStore } from '../../../main/core/store/index.js';
import { ERROR_CODES } from '../../../shared/errors.js';
import { waitFor } from '../../helpers/cli.js';
import { undoAfterEach } from '../../helpers/cleanup.js';
import { addApproved, hostOn, makeHost, tempDir, type TestHost } from '../../helpers/host.js';
import { FIXTURES, NODE } from '../../helpers/paths.js';

const cleanup = undoAfterEach();
let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Sends raw bytes, half-closes, and resolves with whatever came back before the server closed the connection. */
function exchange(address: string, payload: Buffer | string, options: { end?: boolean } = {}): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(address);
    const chunks: Buffer[] = [];
    socket.on('connect', () => {
      socket.write(payload);
      if (options.end !== false) socket.end();
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function malformed(token: string, serverId: string, count: number): Array<Buffer | string> {
  const next = random(13);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const junk = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256)));
  const wrongToken = token.replace(/./, (c) => (c === 'a' ? 'b' : 'a'));
  const shapes: Array<() => Buffer | string> = [
    () => Buffer.concat([junk(1 + Math.floor(next() * 200)), Buffer.from('\n')]),
    () => junk(1 + Math.floor(next() * 64)),
    () => `${pick(['{', '{"v":1', '[1,2', '"open string', '{"v":1,"token":}', 'nul\u0000l', '{"a":1}}', '\ufeff{}'])}\n`,
    () => `${JSON.stringify(pick([null, 0, -1, 'ping', [], [{ v: 1 }], true, {}, { v: 2 }]))}\n`,
    () => `${JSON.stringify({ v: 1, token: wrongToken, op: pick(['ping', 'tasks.cancel', 'servers.stop', 'inbox.decide']), args: {} })}\n`,
    () => `${JSON.stringify({ v: 1, token: '', op: 'ping', args: {} })}\n`,
    () => `${JSON.stringify({ v: 1, token: token.slice(0, 32), op: 'ping', args: {} })}\n`,
    () => `${JSON.stringify({ v: 1, token, op: pick(['shutdown', 'eval', '__proto__', 'constructor', 'tasks.cancel ', 'PING', '']), args: {} })}\n`,
    () =>
      `${JSON.stringify({ v: 1, token, op: 'tasks.cancel', args: pick([{}, { taskId: '' }, { taskId: 5 }, { taskId: 'x'.repeat(500) }, { taskId: 'a', more: 1 }, []]) })}\n`,
    () =>
      `${JSON.stringify({ v: 1, token, op: 'inbox.decide', args: { itemId: 'x', decision: pick([{}, { kind: 'sampling' }, { kind: 'nope' }, null, 'approve']) } })}\n`,
    () => `${JSON.stringify({ v: 1, token, op: 'servers.stop', args: { serverId: pick([null, 1, {}, '']) } })}\n`,
    () => `${JSON.stringify({ v: 1, token: pick([wrongToken, token.toUpperCase(), ` ${token}`]), op: 'servers.stop', args: { serverId } })}\n`,
    () => `${JSON.stringify({ v: '1', token, op: 'servers.stop', args: { serverId } })}\n`,
    () => `${JSON.stringify({ v: 1, token, op: 'ping', args: {}, extra: true })}\n`,
    () => `{"v":1,"token":"${token}","op":"ping","args":{"__proto__":{"polluted":true}}}\n`,
    () => `{"__proto__":{"polluted":true},"v":1,"token":"${token}","op":"ping"}\n`,
    () => `${'['.repeat(5000)}${']'.repeat(5000)}\n`,
    () => `${JSON.stringify({ v: 1, token, op: 'ping', args: { pad: 'x'.repeat(MAX_REQUEST_BYTES) } })}\n`,
    () => 'x'.repeat(MAX_REQUEST_BYTES + 10),
  ];
  return Array.from({ length: count }, (_, i) => shapes[i % shapes.length]!());
}

describe('the control channel', () => {
  it('is a socket only its user can open, in a folder only its user can enter', async () => {
    t = await makeHost();
    const owner = t.host.store.owners.get(t.host.ownership.self)!;
    expect(owner.address).toBeTruthy();
    expect(statSync(owner.address!).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(owner.address!)).mode & 0o777).toBe(0o700);
    expect(owner.token).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps listening when a dead Steward once had its pid: recovering that owner leaves the live socket alone', async () => {
    const dir = tempDir('steward-control-');
    cleanup(() => rmSync(dir, { recursive: true, force: true }));
    const data = join(dir, 'data');
    // A Steward that ran under this very pid and is gone (its start token is not this process's): pid reuse, as in a
    // container where every Steward gets the same pid, or on macOS after the pids wrap.
    const before = openStore(join(data, 'steward.db'));
    before.owners.put({
      pid: process.pid,
      started: 'gone:1',
      kind: 'app',
      address: null,
      token: null,
      leaseUntil: Date.now() + 60_000,
      since: new Date().toISOString(),
    });
    before.close();

    const host = await hostOn(data, cleanup);
    // Recovery ran at start: the dead owner's record is gone, this host's is there.
    expect(host.store.owners.list().map((o) => o.started)).toEqual([host.ownership.self.started]);
    const { address, token, kind } = host.store.owners.get(host.ownership.self)!;
    // Tried: before, recovering the dead owner removed `<pid>.sock`, the live host's own socket, and every request from
    // another process to this one failed for its whole life.
    expect(existsSync(address!)).toBe(true);
    await expect(controlRequest({ pid: process.pid, kind, address: address!, token: token! }, 'ping', {}, 10_000)).resolves.toBeDefined();
  });

  it('refuses 600 malformed messages without acting on one, then still answers a good request', async () => {
    const unexpected: string[] = [];
    t = await makeHost({ onUnexpected: (where, error) => unexpected.push(`${where}: ${String(error)}`) });
    const { view, approve } = await addApproved(t.host, 'probe', NODE, [join(FIXTURES, 'probe-server.mjs')]);
    expect((await approve()).status).toBe('running');
    const { address, token } = t.host.store.owners.get(t.host.ownership.self)!;
    const messages = malformed(token!, view.id, 600);
    const answers: string[] = [];
    // Twenty at a time: concurrent, but under the connection cap.
    for (let i = 0; i < messages.length; i += 20) {
      answers.push(...(await Promise.all(messages.slice(i, i + 20).map((m) => exchange(address!, m)))));
    }
    expect(answers).toHaveLength(600);
    for (const [i, answer] of answers.entries()) {
      if (answer === '') continue;
      const reply = JSON.parse(answer.trim()) as { ok: boolean; code?: string };
      expect(reply.ok, `message ${i}`).toBe(false);
      expect(ERROR_CODES).toContain(reply.code);
    }
    // Most were answered with a reason, not just dropped.
    expect(answers.filter((a) => a.includes('invalid_payload')).length).toBeGreaterThan(400);
    expect(answers.some((a) => a.includes('message_too_large'))).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    // A flood of idle connections past the cap is turned away; once they go, the channel is open again.
    const idle = await Promise.all(
      Array.from(
        { length: 40 },
        () =>
          new Promise<import('node:net').Socket>((resolve) => {
            const s = connect(address!);
            s.on('error', () => undefined);
            s.on('connect', () => resolve(s));
          }),
      ),
    );
    for (const s of idle) s.destroy();

    const good = JSON.parse((await exchange(address!, `${JSON.stringify({ v: 1, token, op: 'ping', args: {} })}\n`)).trim()) as unknown;
    expect(good).toEqual({ ok: true, data: { pid: process.pid } });
    const missing = JSON.parse(
      (await exchange(address!, `${JSON.stringify({ v: 1, token, op: 'tasks.cancel', args: { taskId: 'nope' } })}\n`)).trim(),
    ) as unknown;
    expect(missing).toMatchObject({ ok: false, code: 'not_found' });
    expect((await t.host.dispatch('servers:list', {})).ok).toBe(true);
    // Stop requests with a wrong token, a wrong version or a near-miss token for the real server did nothing.
    expect(t.host.servers.get(view.id).status).toBe('running');
    expect(unexpected).toEqual([]);
  });

  it('closes a connection that sends nothing, and one that never finishes its line', async () => {
    t = await makeHost();
    const { address } = t.host.store.owners.get(t.host.ownership.self)!;
    const silent = exchange(address!, '', { end: false });
    const partial = exchange(address!, '{"v":1,"token":"', { end: false });
    expect(await silent).toBe('');
    expect(await partial).toBe('');
  }, 20_000);

  describe('its connection slots', () => {
    const TOKEN = 'c'.repeat(64);
    async function server(): Promise<string> {
      const dir = tempDir('steward-slots-');
      cleanup(() => rmSync(dir, { recursive: true, force: true }));
      const control = await startControlServer({
        address: join(dir, 'c.sock'),
        token: TOKEN,
        handlers: { ping: () => Promise.resolve({ pid: process.pid }) } as never,
        idleMs: 300,
        maxConnections: 4,
      });
      cleanup(() => control.close());
      return control.address;
    }
    /** A peer that keeps its own side open, as a hostile process can; it records when the server closes on it. */
    function holder(address: string): { socket: Socket; closed: () => boolean; replies: () => string } {
      const socket = connect({ path: address, allowHalfOpen: true });
      cleanup(() => void socket.destroy());
      let closed = false;
      let text = '';
      socket.on('data', (c: Buffer) => (text += c.toString('utf8')));
      socket.on('error', () => undefined);
      socket.on('close', () => (closed = true));
      return { socket, closed: () => closed, replies: () => text };
    }
    const ping = `${JSON.stringify({ v: 1, token: TOKEN, op: 'ping', args: {} })}\n`;

    it('are given back by peers that take their answer and never close: four of them do not lock the channel out', async () => {
      const address = await server();
      const holders = Array.from({ length: 4 }, () => holder(address));
      for (const h of holders) h.socket.write('\n');
      await waitFor('four refusals read', () => holders.every((h) => h.replies().includes('invalid_payload')));
      // The holders still hold their sockets open. Tried: before, a peer that never closed kept its slot for the life of
      // the process, and every ping found the channel full (its connection destroyed at once, nothing read).
      const answer = await waitFor('a slot given back to a ping', async () => (await exchange(address, ping)).trim() || undefined);
      expect(JSON.parse(answer)).toEqual({ ok: true, data: { pid: process.pid } });
      expect(holders.some((h) => h.socket.destroyed)).toBe(false);
    });

    it('are given back by a peer that trickles its request a byte at a time', async () => {
      const address = await server();
      const slow = holder(address);
      const line = ping.slice(0, -1);
      let i = 0;
      // One byte every 100 ms (a third of the limit): an inactivity timer alone never fires.
      const drip = setInterval(() => {
        if (!slow.closed() && i < line.length) slow.socket.write(line[i++]!);
      }, 100);
      cleanup(() => clearInterval(drip));
      await waitFor('the trickling peer closed', () => slow.closed());
      expect(slow.replies()).toBe('');
      expect(i).toBeLessThan(line.length);
    });
  });
});
