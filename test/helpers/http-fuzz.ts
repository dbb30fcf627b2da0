// Malformed HTTP requests written byte for byte over raw sockets (nothing normalises the path), and what came back.
import { connect, type Socket } from 'node:net';

export interface RawCase {
  /** What the request tries, for the failure message. */
  label: string;
  bytes: Buffer;
  /** Keep the connection open after writing (a slow or half-sent request) instead of half-closing it. */
  keepOpen?: boolean;
}

export interface RawAnswer {
  /** The status code of the first response line, or null when the server closed without answering. */
  status: number | null;
  /** Headers and the start of the body, for failure messages and checks. */
  head: string;
}

/** A tiny deterministic PRNG, so a failing run can be replayed exactly. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes the bytes and waits for the server to answer and/or close; a server that does neither in time fails the case. */
export function sendRaw(port: number, c: RawCase, timeoutMs = 10_000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      socket.destroy();
      resolve({ status: m ? Number(m[1]) : null, head: text.slice(0, 400) });
    };
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer and no close within ${timeoutMs} ms for: ${c.label}`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      if (size < 4096) chunks.push(chunk);
      size += chunk.length;
      // One complete response head is enough: a kept-alive connection would otherwise stay open.
      if (/\r\n\r\n/.test(Buffer.concat(chunks).toString('latin1'))) finish();
    });
    socket.on('error', () => finish());
    socket.on('close', () => finish());
    socket.on('connect', () => {
      socket.write(c.bytes, () => {
        if (!c.keepOpen) socket.end();
      });
    });
  });
}

/** Runs the cases a few at a time. */
export async function sendAll(port: number, cases: RawCase[], parallel = 16): Promise<Array<RawAnswer & { label: string }>> {
  const out: Array<RawAnswer & { label: string }> = [];
  for (let i = 0; i < cases.length; i += parallel) {
    const batch = cases.slice(i, i + parallel);
    out.push(...(await Promise.all(batch.map(async (c) => ({ label: c.label, ...(await sendRaw(port, c)) })))));
  }
  return out;
}

const crlf = (lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');

/** Request targets no well-behaved browser sends: bad percent-encoding, traversal, absolute and authority forms, junk. */
export const HOSTILE_TARGETS: readonly string[] = [
  '/%ff',
  '/%',
  '//',
  '//[',
  '//[::1',
  '///',
  '//evil.example/',
  '//127.0.0.1:1/x',
  '/%zz',
  '/%c0%af',
  '/%c0%ae%c0%ae/',
  '/%00',
  '/a%00b',
  '/%e2%80%ae',
  '/..',
  '/../',
  '/../../../../etc/passwd',
  '/assets/../../package.json',
  '/assets/..%2f..%2f..%2fpackage.json',
  '/%2e%2e/%2e%2e/package.json',
  '/%2e%2e%2f%2e%2e%2fpackage.json',
  '/..%5c..%5cpackage.json',
  '/\\..\\..\\package.json',
  '/assets/%2e%2e%5c%2e%2e%5cpackage.json',
  '/%252e%252e/package.json',
  '/.%2e/.%2e/package.json',
  '*',
  'http://127.0.0.1/',
  'https://evil.example/',
  'evil.example:80',
  'javascript:alert(1)',
  '/?token=%ff',
  '/?token=%',
  '/?token=a&token=b',
  '/?%ff=%ff',
  `/?token=${'a'.repeat(5000)}`,
  `/${'a'.repeat(5000)}`,
  `/${'%2e%2e/'.repeat(500)}package.json`,
  '/%F0%9F',
  '/%ed%a0%80',
  '/index.html%00.js',
  '/index.html/',
  '/;/',
  '/?',
  '/#x',
  '/%%%',
  '/%u002e%u002e/',
  '/ws%ff',
  '//ws',
  '/ws/../ws',
  '/ws?token=%ff',
  '/ws/',
  '/favicon.ico%00',
  '/\u00ff',
  '/a b',
  '/\t',
];

/** Host headers a page on another name, or a broken client, might send. */
export function hostileHosts(port: number): Array<string | undefined> {
  return [
    undefined,
    '',
    'evil.example',
    `evil.example:${port}`,
    '127.0.0.1',
    `127.0.0.1:${port}:1`,
    `127.0.0.1:${port}@evil.example`,
    '[::1',
    `localhost.:${port}`,
    `LOCALHOST:${port}`,
    `${'a'.repeat(4000)}:${port}`,
    `%31%32%37.0.0.1:${port}`,
  ];
}

/**
 * Hundreds of malformed requests for a listener at `port` whose good Host header is `goodHost`: every hostile target
 * with a good and a bad Host, as a plain GET and as a WebSocket upgrade from good and foreign Origins; bad methods;
 * absurd and broken headers; broken request lines and bodies; binary junk; half-sent requests.
 */
export function malformedRequests(port: number, goodHost: string, seed = 12): RawCase[] {
  const cases: RawCase[] = [];
  const add = (label: string, bytes: Buffer, keepOpen = false) => cases.push({ label, bytes, keepOpen });
  const origins = [`http://${goodHost}`, 'https://evil.example', 'null', '', `http://${goodHost}.evil.example`];
  for (const target of HOSTILE_TARGETS) {
    add(`GET ${target.slice(0, 60)}`, crlf([`GET ${target} HTTP/1.1`, `Host: ${goodHost}`]));
    add(`HEAD ${target.slice(0, 60)}`, crlf([`HEAD ${target} HTTP/1.1`, `Host: ${goodHost}`]));
    add(`GET ${target.slice(0, 60)} (foreign host)`, crlf([`GET ${target} HTTP/1.1`, 'Host: evil.example']));
    for (const origin of origins.slice(0, 3)) {
      add(
        `upgrade ${target.slice(0, 60)} from ${origin}`,
        crlf([
          `GET ${target} HTTP/1.1`,
          `Host: ${goodHost}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          'Sec-WebSocket-Version: 13',
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
          `Origin: ${origin}`,
        ]),
      );
    }
  }
  for (const host of hostileHosts(port)) {
    for (const target of ['/', '/?token=x', '/ws', '/ws?token=x', '/assets/x.js', '/oauth/callback?state=x&code=y']) {
      add(`host ${String(host).slice(0, 40)} ${target}`, crlf([`GET ${target} HTTP/1.1`, ...(host === undefined ? [] : [`Host: ${host}`])]));
    }
    add(
      `upgrade with host ${String(host).slice(0, 40)}`,
      crlf([
        'GET /ws?token=x HTTP/1.1',
        ...(host === undefined ? [] : [`Host: ${host}`]),
        'Upgrade: websocket',
        'Connection: Upgrade',
        'Sec-WebSocket-Version: 13',
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        `Origin: http://${goodHost}`,
      ]),
    );
  }
  for (const origin of origins) {
    for (const extra of [[], ['Sec-WebSocket-Version: 99'], ['Sec-WebSocket-Key: short'], ['Sec-WebSocket-Key:'], ['Upgrade: h2c']]) {
      add(
        `upgrade /ws from ${origin} ${extra.join(' ')}`,
        crlf([
          'GET /ws?token=wrong HTTP/1.1',
          `Host: ${goodHost}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          ...(extra.some((e) => e.startsWith('Sec-WebSocket-Version')) ? [] : ['Sec-WebSocket-Version: 13']),
          ...(extra.some((e) => e.startsWith('Sec-WebSocket-Key')) ? [] : ['Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==']),
          ...extra,
          `Origin: ${origin}`,
        ]),
      );
    }
  }
  const methods = ['POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'PATCH', 'PROPFIND', 'FOO', 'get', 'G\u0000T', 'GET GET', '', ' GET'];
  for (const method of methods) {
    for (const target of ['/', '/ws', '/oauth/callback?state=x', '/%ff']) {
      add(`method ${JSON.stringify(method)} ${target}`, crlf([`${method} ${target} HTTP/1.1`, `Host: ${goodHost}`, 'Content-Length: 0']));
    }
  }
  const headerAbuse: Array<[string, string[]]> = [
    ['a 100 KB header', [`X-Big: ${'a'.repeat(100_000)}`]],
    ['a 1 MB cookie', [`Cookie: ${'c=1; '.repeat(200_000)}`]],
    ['2,000 headers', Array.from({ length: 2000 }, (_, i) => `X-H${i}: ${i}`)],
    ['a header without a colon', ['NoColonHere']],
    ['a header name with spaces', ['Bad Name: x']],
    ['a header name with a NUL', ['X-\u0000: x']],
    ['a header value with a NUL', ['X-Null: a\u0000b']],
    ['an obsolete folded header', ['X-Fold: a', ' continued']],
    ['a negative Content-Length', ['Content-Length: -1']],
    ['a huge Content-Length', ['Content-Length: 99999999999999999999']],
    ['two Content-Lengths', ['Content-Length: 1', 'Content-Length: 2']],
    ['Content-Length and chunked', ['Content-Length: 5', 'Transfer-Encoding: chunked']],
    ['a bogus Transfer-Encoding', ['Transfer-Encoding: gzip, identity']],
    ['two Host headers', ['Host: evil.example']],
    ['a non-ASCII header', ['X-Ü: ü']],
    ['a Range header with junk', ['Range: bytes=-1-2,zz']],
    ['an Upgrade to h2c', ['Upgrade: h2c', 'Connection: Upgrade, HTTP2-Settings', 'HTTP2-Settings: AAMAAABkAAQAAP__']],
  ];
  for (const [label, headers] of headerAbuse) {
    for (const target of ['/', '/ws?token=x', '/oauth/callback?state=x']) {
      add(`${label} on ${target}`, crlf([`GET ${target} HTTP/1.1`, `Host: ${goodHost}`, ...headers]));
    }
  }
  const lines = [
    'GET',
    'GET /',
    'GET / HTTP/9.9',
    'GET / HTTP/1.1 extra',
    'GET / http/1.1',
    'GET / HTTP/1',
    'GET /\u0000 HTTP/1.1',
    'GET / HTTP/1.1\nHost: x',
    '\r\n\r\nGET / HTTP/1.1',
    'PRI * HTTP/2.0\r\n\r\nSM',
    'GET / HTTP/0.9',
  ];
  for (const line of lines) add(`request line ${JSON.stringify(line)}`, Buffer.from(`${line}\r\nHost: ${goodHost}\r\n\r\n`, 'latin1'));
  add('bare LF line endings', Buffer.from(`GET / HTTP/1.1\nHost: ${goodHost}\n\n`, 'latin1'));
  add('a malformed chunked body', crlf(['POST / HTTP/1.1', `Host: ${goodHost}`, 'Transfer-Encoding: chunked', '', 'zz', 'junk']));
  add('a TLS ClientHello', Buffer.from('16030100a5010000a10303', 'hex'));
  add('an empty request', Buffer.alloc(0));
  add('only CRLFs', Buffer.from('\r\n'.repeat(1000)));
  const random = prng(seed);
  for (let i = 0; i < 60; i++) {
    const junk = Buffer.alloc(1 + Math.floor(random() * 2000));
    for (let j = 0; j < junk.length; j++) junk[j] = Math.floor(random() * 256);
    add(`random bytes #${i}`, junk);
  }
  for (let i = 0; i < 30; i++) {
    // A valid request cut short at a random point, then half-closed.
    const whole = crlf([`GET /?token=x HTTP/1.1`, `Host: ${goodHost}`, 'Accept: */*', 'Connection: keep-alive']);
    add(`half-sent request #${i}`, whole.subarray(0, Math.floor(random() * (whole.length - 1))));
  }
  return cases;
}
