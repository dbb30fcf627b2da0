// Browser mode against a hostile web page or local process: hundreds of malformed requests over raw sockets (bad
// percent-encoding, `//` and `//[` paths, traversal, absolute and authority forms, foreign and broken Host and Origin
// headers, WebSocket upgrades with bad paths, keys and versions, bad methods, 100 KB headers, 2,000 headers, broken
// request lines, random bytes, half-sent and slow requests). Each gets a 4xx or a close, the process stays up, and the
// next good page load and socket call work.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWebServer } from '../../main/web/server.js';
import { malformedRequests, sendAll, sendRaw } from '../helpers/http-fuzz.js';
import { makeHost, tempDir } from '../helpers/host.js';
import { DIST } from '../helpers/paths.js';
import { waitFor } from '../helpers/cli.js';
import { UNSAFE_OUTPUT } from '../fixtures/hostile-text.mjs';

const SERVE = join(DIST, 'main', 'web', 'serve.js');
const COUNT = malformedRequests(1, '127.0.0.1:1').length;

let home: string;
let child: ChildProcess;
let port: number;
let token: string;
let stderr = '';

beforeAll(async () => {
  home = tempDir('steward-serve-fuzz-');
  child = spawn(process.execPath, [SERVE, '--port', '0', '--no-open'], {
    env: { ...process.env, STEWARD_HOME: join(home, 'data'), STEWARD_NO_BROWSER: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`steward serve printed no link: ${out} ${stderr}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
  const parsed = new URL(url);
  port = Number(parsed.port);
  token = parsed.searchParams.get('token')!;
});

afterAll(async () => {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(home, { recursive: true, force: true });
});

function socketCall(): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${token}`, { origin: `http://127.0.0.1:${port}` });
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ type: 'call', id: 1, channel: 'servers:list', payload: {} })));
    ws.on('message', (data: WebSocket.RawData) => {
      const frame = JSON.parse((data as Buffer).toString('utf8')) as { type: string; id?: number; outcome?: unknown };
      if (frame.type !== 'result') return;
      ws.close();
      resolve(frame.outcome);
    });
  });
}

describe('browser mode under malformed requests', () => {
  it(`answers each of ${COUNT} malformed requests with a 4xx or a close, and keeps serving`, async () => {
    const cases = malformedRequests(port, `127.0.0.1:${port}`);
    expect(cases.length).toBeGreaterThanOrEqual(500);
    const answers = await sendAll(port, cases);
    const wrong = answers.filter((a) => a.status !== null && (a.status < 400 || a.status >= 500));
    expect(wrong.map((a) => `${a.label} → ${a.status}`)).toEqual([]);
    // Nothing outside the renderer's folder was ever served.
    expect(answers.filter((a) => a.head.includes('"name": "steward"') || a.head.includes('root:x:0'))).toEqual([]);

    expect(child.exitCode, stderr).toBeNull();
    const page = await fetch(`http://127.0.0.1:${port}/?token=${token}`);
    expect(page.status).toBe(200);
    await page.arrayBuffer();
    expect(await socketCall()).toMatchObject({ ok: true });
    expect(stderr).not.toMatch(/URIError|Invalid URL|uncaught|unhandled/i);
  });

  it('logs a refused socket whose Origin carries C1 controls (CSI, NEL) without a raw control byte reaching the terminal', async () => {
    const origin = Buffer.concat([Buffer.from('http://evil.example/'), Buffer.from([0x9b, 0x33, 0x31, 0x6d, 0x85])]);
    const head = Buffer.from(
      `GET /ws?token=${token} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: `,
    );
    const seen = stderr.length;
    const answer = await sendRaw(port, { label: 'upgrade with a C1 origin', bytes: Buffer.concat([head, origin, Buffer.from('\r\n\r\n')]) });
    expect(answer.status === null || answer.status >= 400).toBe(true);
    for (let i = 0; i < 200 && !stderr.slice(seen).includes('refused a WebSocket'); i++) await new Promise((r) => setTimeout(r, 25));
    expect(stderr.slice(seen)).toContain('refused a WebSocket');
    expect(UNSAFE_OUTPUT.exec(stderr)).toBeNull();
  });

  it('serves a good request while slow clients hold half-sent requests open', async () => {
    const slow = Array.from({ length: 20 }, (_, i) =>
      sendRaw(
        port,
        { label: `slow #${i}`, bytes: Buffer.from(`GET /?token=${token} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: `), keepOpen: true },
        60_000,
      ),
    );
    const page = await fetch(`http://127.0.0.1:${port}/?token=${token}`);
    expect(page.status).toBe(200);
    await page.arrayBuffer();
    expect(await socketCall()).toMatchObject({ ok: true });
    // Let them go: the server must not have answered a half-sent request with anything but an error.
    child.kill('SIGTERM');
    for (const answer of await Promise.all(slow)) expect(answer.status === null || answer.status >= 400).toBe(true);
  });
});

describe('browser mode timeouts', () => {
  it('closes each refused WebSocket upgrade, even when the client keeps its side open', async () => {
    const t = await makeHost();
    const web = await startWebServer({ host: t.host, staticDir: join(DIST, 'renderer'), token: 'tok', headersTimeoutMs: 300 });
    const upgrade = (target: string, host: string) =>
      `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: http://127.0.0.1:${web.port}\r\n\r\n`;
    // Tried: a foreign Host, a wrong token, a path that is not the socket's, a broken target; twenty of them.
    const requests = Array.from(
      { length: 20 },
      (_, i) =>
        [
          upgrade('/ws?token=tok', 'evil.example'),
          upgrade('/ws?token=nope', `127.0.0.1:${web.port}`),
          upgrade('/other', `127.0.0.1:${web.port}`),
          upgrade('//[', `127.0.0.1:${web.port}`),
        ][i % 4]!,
    );
    const holders = requests.map((request) => {
      const socket = connect({ port: web.port, host: '127.0.0.1', allowHalfOpen: true });
      const state = { answer: '', closed: false, socket };
      socket.on('data', (c: Buffer) => (state.answer += c.toString()));
      socket.on('error', () => undefined);
      socket.on('close', () => (state.closed = true));
      // Once answered, the client keeps writing: a socket the server still holds takes the bytes, one it closed resets.
      socket.on('end', () => {
        const poke = setInterval(() => (state.closed ? clearInterval(poke) : socket.write('x')), 50);
      });
      socket.write(request);
      return state;
    });
    // And one that sends 64 KiB more after its request: those bytes are read and dropped, so the close is not a reset
    // that could cost the client its answer.
    const eager = connect({ port: web.port, host: '127.0.0.1' });
    const eagerAnswer = new Promise<string>((resolve) => {
      let text = '';
      eager.on('data', (c: Buffer) => (text += c.toString()));
      eager.on('error', () => resolve(text));
      eager.on('close', () => resolve(text));
    });
    eager.write(Buffer.concat([Buffer.from(requests[1]!), Buffer.alloc(64 * 1024, 0x78)]));
    try {
      await waitFor('every refused upgrade closed by the server', () => holders.every((h) => h.closed));
      for (const h of holders) expect(h.answer).toMatch(/^HTTP\/1\.1 4\d\d /);
      expect(await eagerAnswer).toMatch(/^HTTP\/1\.1 401 /);
      expect((await fetch(`http://127.0.0.1:${web.port}/?token=tok`)).status).toBe(200);
    } finally {
      for (const h of holders) h.socket.destroy();
      eager.destroy();
      await web.close();
      await t.close();
    }
  });

  it('closes a connection whose request head never finishes', async () => {
    const t = await makeHost();
    const web = await startWebServer({ host: t.host, staticDir: join(DIST, 'renderer'), token: 'tok', headersTimeoutMs: 300 });
    try {
      const socket = connect(web.port, '127.0.0.1');
      socket.write(`GET /?token=tok HTTP/1.1\r\nHost: 127.0.0.1:${web.port}\r\nX-Slow: a`);
      const answer = await new Promise<string>((resolve) => {
        let text = '';
        socket.on('data', (c: Buffer) => (text += c.toString()));
        socket.on('close', () => resolve(text));
        socket.on('error', () => resolve(text));
      });
      expect(answer === '' || /^HTTP\/1\.1 408/.test(answer)).toBe(true);
      expect((await fetch(`http://127.0.0.1:${web.port}/?token=tok`)).status).toBe(200);
    } finally {
      await web.close();
      await t.close();
    }
  });
});
