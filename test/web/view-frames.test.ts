// Browser mode's view-frame listener as a hostile local program would use it: raw TCP connections carrying 600
// malformed, foreign or oversized requests (garbage, wrong or missing Host, foreign Origin, wrong methods, traversal,
// unknown tokens, smuggling, header floods, half-sent requests); none gets a proxy page, and a good request still does.
// And as a view would use it: every address a view could navigate a frame on its origin to (the relay's old script
// address among them) answers under a CSP that lets nothing load, run or be framed.
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startViewFrames, type ViewFramesServer } from '../../main/web/view-frames.js';
import { addApproved, makeHost, type TestHost } from '../helpers/host.js';
import { FIXTURES, NODE } from '../helpers/paths.js';

const HOST_ORIGIN = 'http://127.0.0.1:4321';

let t: TestHost | undefined;
let frames: ViewFramesServer | undefined;
afterEach(async () => {
  await frames?.close();
  await t?.close();
  frames = undefined;
  t = undefined;
});

async function setup() {
  t = await makeHost();
  frames = await startViewFrames({ apps: t.host.apps, hostOrigins: () => new Set([HOST_ORIGIN]) });
  const f = frames;
  t.host.apps.attachFrames({ hostOrigins: () => new Set([HOST_ORIGIN]), url: (label, token) => `${f.originOf(label)}/proxy/${token}` });
  const { view, approve } = await addApproved(t.host, 'fixture', NODE, [join(FIXTURES, 'apps-server.mjs')]);
  await approve();
  const spec = await t.host.apps.open(view.id, 'hostile', HOST_ORIGIN);
  const url = new URL(spec.proxyUrl);
  return { spec, port: f.port, label: url.hostname.split('.')[0] ?? '', token: url.pathname.split('/').pop() ?? '', host: url.host };
}

/** Sends raw bytes and returns what came back (empty when the server just closed), within a short wait. */
function raw(port: number, data: string | Buffer, waitMs = 1000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const timer = setTimeout(done, waitMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', done);
    socket.on('error', done);
    socket.on('connect', () => socket.write(data));
  });
}

const status = (response: string) => Number(/^HTTP\/1\.[01] (\d{3})/.exec(response)?.[1] ?? 0);

function malformed(port: number, label: string, token: string, host: string): Array<string | Buffer> {
  const good = (extra = '', path = `/proxy/${token}`, method = 'GET', hostHeader = host) =>
    `${method} ${path} HTTP/1.1\r\nHost: ${hostHeader}\r\nSec-Fetch-Dest: iframe\r\nConnection: close\r\n${extra}\r\n`;
  const list: Array<string | Buffer> = [];
  // Foreign, missing or lookalike Host headers (DNS rebinding and friends).
  for (const h of [
    '',
    `evil.example:${port}`,
    `127.0.0.1:${port}`,
    `localhost:${port}`,
    `${label}.localhost`,
    `${label}.localhost:${port + 1}`,
    `${label}.localhost.:${port}`,
    `${label.toUpperCase()}.localhost:${port}`,
    `v${'0'.repeat(24)}.localhost:${port}`,
    `${label}.evil.example:${port}`,
    `${label}.localhost:${port}@evil.example`,
    `${label}\u0000.localhost:${port}`,
  ]) {
    list.push(h === '' ? `GET /proxy/${token} HTTP/1.1\r\nConnection: close\r\n\r\n` : good('', `/proxy/${token}`, 'GET', h));
  }
  list.push(`GET /proxy/${token} HTTP/1.1\r\nHost: ${host}\r\nHost: evil.example\r\nConnection: close\r\n\r\n`);
  // Foreign origins and contexts: fetched by another page, opened as a tab.
  for (const origin of [
    'https://evil.example',
    'null',
    `http://127.0.0.1:${port}`,
    `http://v${'1'.repeat(24)}.localhost:${port}`,
    HOST_ORIGIN + '.evil.example',
  ]) {
    list.push(good(`Origin: ${origin}\r\n`));
  }
  for (const dest of ['document', 'script', 'empty', 'image', 'worker']) list.push(good().replace('Sec-Fetch-Dest: iframe', `Sec-Fetch-Dest: ${dest}`));
  // Wrong methods and paths.
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'CONNECT', 'PROPFIND', 'G E T', 'get'])
    list.push(good('', `/proxy/${token}`, method));
  for (const path of [
    '/',
    '/proxy/',
    '/proxy',
    `/proxy/${token}x`,
    `/proxy/${token.slice(1)}`,
    `/proxy/${token}/../${token}`,
    '/proxy/../../../../etc/passwd',
    '/proxy/%2e%2e/%2e%2e/etc/passwd',
    '/../../package.json',
    '/proxy.js/../proxy/' + token,
    '/csp-report/' + token,
    '/proxy/' + 'A'.repeat(64),
    '/proxy/' + 'A'.repeat(20_000),
    `/proxy/${encodeURIComponent(`${token}\u0000`)}`,
    '*',
    'http://evil.example/proxy/' + token,
    `/proxy/${token}?`.repeat(50),
    '/%',
    '/%%%',
    '/\u00ff\u00fe',
  ])
    list.push(good('', path));
  // CSP reports that are not: wrong method, wrong token, not JSON, far too big, lying about their length.
  const report = (body: string, headers = '', path = `/csp-report/${token}`) =>
    `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/csp-report\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n${headers}\r\n${body}`;
  list.push(
    report('not json'),
    report('{"csp-report":'),
    report('x'.repeat(100_000)),
    report('{}', '', '/csp-report/nope'),
    report('{}', '', '/csp-report/' + 'B'.repeat(30)),
  );
  list.push(`POST /csp-report/${token} HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n{"short":`);
  list.push(`POST /csp-report/${token} HTTP/1.1\r\nHost: ${host}\r\nContent-Length: -1\r\n\r\n`);
  list.push(
    `POST /csp-report/${token} HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /proxy/${token} HTTP/1.1\r\nHost: ${host}\r\n\r\n`,
  );
  list.push(`POST /csp-report/${token} HTTP/1.1\r\nHost: ${host}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nbroken\r\n`);
  list.push(`POST /csp-report/${token} HTTP/1.1\r\nHost: ${host}\r\nOrigin: https://evil.example\r\nContent-Length: 2\r\n\r\n{}`);
  // Header floods and broken request lines.
  list.push(good(Array.from({ length: 300 }, (_, i) => `X-Junk-${i}: ${'y'.repeat(50)}\r\n`).join('')));
  list.push(good(`X-Big: ${'z'.repeat(40_000)}\r\n`));
  list.push(good('Bad Header Without Colon\r\n'));
  list.push(good('X-Ctl: a\u0001b\r\n'));
  for (const line of [
    'GET\r\n\r\n',
    '\r\n\r\n',
    'GET / HTTP/9.9\r\n\r\n',
    'GET /proxy.js HTTP/1.1\n\n',
    'HELLO\r\n',
    ' / HTTP/1.1\r\n\r\n',
    'GET /proxy.js HTTP/1.1\r\nHost:\r\n\r\n',
  ]) {
    list.push(line);
  }
  // Half-sent requests and plain garbage, deterministic.
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  while (list.length < 600) {
    const kind = list.length % 4;
    if (kind === 0) list.push(Buffer.from(Array.from({ length: 16 + (next() % 2000) }, () => next() % 256)));
    else if (kind === 1) list.push(good().slice(0, next() % good().length));
    else if (kind === 2) list.push(good(`X-R: ${next()}\r\n`, `/proxy/${token.slice(0, next() % token.length)}`));
    else list.push(`GET /proxy/${token} HTTP/1.1\r\nHost: ${label}.localhost:${next() % 65536}\r\nConnection: close\r\n\r\n`);
  }
  return list;
}

describe('the view-frame listener', () => {
  it('refuses 600 malformed or foreign requests without serving a proxy page or falling over, then serves a good one', async () => {
    const { spec, port, label, token, host } = await setup();
    const requests = malformed(port, label, token, host);
    expect(requests.length).toBeGreaterThanOrEqual(600);
    const responses: string[] = [];
    for (let i = 0; i < requests.length; i += 25) {
      const batch = requests.slice(i, i + 25);
      responses.push(...(await Promise.all(batch.map((r) => raw(port, r)))));
    }
    // Nothing malformed got the page (or its CSP), and every answer that came was a refusal, never a server error.
    const served = responses.filter((r) => r.includes('steward-frame') || r.includes(spec.csp.header));
    expect(served).toEqual([]);
    const statuses = responses.map(status);
    expect(statuses.filter((s) => s === 200)).toEqual([]);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 403).length).toBeGreaterThan(100);

    const good = await raw(port, `GET /proxy/${token} HTTP/1.1\r\nHost: ${host}\r\nSec-Fetch-Dest: iframe\r\nConnection: close\r\n\r\n`);
    expect(status(good)).toBe(200);
    expect(good.toLowerCase()).toContain(`content-security-policy: ${spec.csp.header.toLowerCase()}`);
    expect(good).toContain("'proxy-ready'");
    expect(good).not.toMatch(/<script[^>]* src=/);
    // And the host behind it still answers.
    expect(await t?.host.apps.request(spec.viewId, 'ping', {})).toEqual({});
  });

  it('answers every other address on a view’s origin under a CSP that loads, runs and frames nothing', async () => {
    const { port, host, token } = await setup();
    const get = (path: string, dest = 'iframe') =>
      raw(port, `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nSec-Fetch-Dest: ${dest}\r\nSec-Fetch-Mode: navigate\r\nConnection: close\r\n\r\n`);
    const body = JSON.stringify({ 'csp-report': { 'blocked-uri': 'https://evil.example' } });
    const answers = [
      ...(await Promise.all(
        ['/proxy.js', '/', '/index.html', '/favicon.ico', '/proxy/', `/csp-report/${token}`, `/proxy/${'Z'.repeat(30)}`].map((p) => get(p)),
      )),
      await get(`/proxy/${token}`, 'document'),
      await get('/proxy.js', 'script'),
      await raw(port, `POST /csp-report/${token} HTTP/1.1\r\nHost: ${host}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`),
      await raw(port, 'GARBAGE\r\n\r\n'),
    ];
    for (const answer of answers) {
      const head = answer.split('\r\n\r\n')[0] ?? '';
      expect(head, head).toMatch(/^content-security-policy: default-src 'none'; frame-ancestors 'none'$/im);
      expect(status(answer)).not.toBe(200);
    }
  });

  it('listens on loopback only and takes a CSP report for a live view into its server’s log', async () => {
    const { spec, port, host, token } = await setup();
    const body = JSON.stringify({ 'csp-report': { 'effective-directive': 'connect-src', 'blocked-uri': 'https://evil.example/steal' } });
    const answer = await raw(
      port,
      `POST /csp-report/${token} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/csp-report\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
    expect(status(answer)).toBe(204);
    // Reachable on loopback only: the machine's other addresses refuse the connection.
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && a.family === 'IPv4' && !a.internal)
      .map((a) => a?.address ?? '');
    for (const address of others) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = connect(port, address, () => {
          socket.destroy();
          resolve('connected');
        });
        socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
      expect([address, outcome]).toEqual([address, 'ECONNREFUSED']);
    }
    for (let i = 0; i < 100; i++) {
      const lines = t?.host.servers.logsPage(spec.serverId, 50).map((l) => l.text) ?? [];
      if (lines.some((l) => l.includes('its CSP blocked https://evil.example/steal (connect-src)'))) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('the report never reached the log');
  });
});
