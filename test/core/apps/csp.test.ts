// The CSP a view runs under, as a pure function: the spec's restrictive default, declared origins accepted one by one,
// and every declaration that could widen the policy (or break out of its directive) refused with the reason. Hostile
// declarations tried: keywords, bare schemes, smuggled directives, wildcards, and origins on the user's own machine and
// network (a Docker socket, a local model server, the cloud metadata address, a router) that only the URL gate stops,
// and Streamable HTTP server addresses that only look local (a name starting "localhost.", an address that is no URL).
import { describe, expect, it } from 'vitest';
import { buildCsp, checkSource, sanitizeCsp } from '../../../main/core/apps/index.js';

const SERVERS = {
  stdio: { transport: 'stdio' },
  remote: { transport: 'http', url: 'https://mcp.example.com/mcp' },
  'local http': { transport: 'http', url: 'http://localhost:3001/mcp' },
  'local http on [::1]': { transport: 'http', url: 'http://[::1]:3001/mcp' },
  'http named like localhost': { transport: 'http', url: 'http://localhost.evil.example/mcp' },
  'http with a bad address': { transport: 'http', url: 'not a url' },
} as const;
const CONTEXT = { frameAncestor: 'http://127.0.0.1:4000', reportUri: '/csp-report/tok', server: SERVERS.remote } as const;
const directives = (header: string) =>
  Object.fromEntries(
    header
      .split('; ')
      .map((d) => d.split(' '))
      .map(([k = '', ...v]): [string, string[]] => [k, v]),
  );

describe('one declared source', () => {
  it.each([
    ['https://api.example.com', 'https://api.example.com'],
    ['https://API.Example.com:8443', 'https://api.example.com:8443'],
    ['wss://realtime.example.com', 'wss://realtime.example.com'],
    ['https://*.cloudflare.com', 'https://*.cloudflare.com'],
    ['https://cdn.example.com/lib/', 'https://cdn.example.com/lib/'],
    ['http://127.0.0.1:5173', 'http://127.0.0.1:5173'],
    ['https://[::1]:8080', 'https://[::1]:8080'],
  ])('accepts %s as %s', (value, source) => {
    expect(checkSource(value)).toEqual({ source });
  });

  it.each([
    ['*', 'bare wildcard'],
    ['https:', 'scheme only'],
    ['data:', 'data scheme'],
    ['blob:', 'blob scheme'],
    ["'unsafe-eval'", 'a keyword'],
    ["'self'", 'a keyword'],
    ['https://a.com; script-src *', 'a second directive smuggled in'],
    ['https://a.com https://b.com', 'two sources in one entry'],
    ['https://a.com,https://b.com', 'a comma'],
    ['https://a.com\nscript-src *', 'a newline'],
    ['https://*.com', 'a wildcard over a top-level domain'],
    ['https://a.*.com', 'a wildcard in the middle'],
    ['javascript://alert(1)', 'a javascript: scheme'],
    ['file:///etc/passwd', 'a file: URL'],
    ['ftp://example.com', 'an ftp: URL'],
    ['https://example.com:99999', 'a port out of range'],
    ['https://example.com/?q=1', 'a query'],
    ['https://exa mple.com', 'a space'],
    ['', 'empty'],
    ['https://' + 'a'.repeat(600) + '.com', 'too long'],
  ])('refuses %j (%s)', (value) => {
    expect(checkSource(value)).toHaveProperty('reason');
  });

  it.each([[42], [null], [{ origin: 'https://a.com' }], [['https://a.com']]])('refuses a non-string %j', (value) => {
    expect(checkSource(value)).toEqual({ reason: 'not a string' });
  });
});

describe('the policy', () => {
  it('is the spec’s restrictive default when nothing is declared, stricter where Steward can be', () => {
    const csp = buildCsp(undefined, 'none', CONTEXT);
    expect(directives(csp.header)).toEqual({
      'default-src': ["'none'"],
      'script-src': ["'self'", "'unsafe-inline'", 'data:', 'blob:'],
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:'],
      'font-src': ["'self'"],
      'media-src': ["'self'", 'data:'],
      'connect-src': ["'none'"],
      'frame-src': ["'none'"],
      'worker-src': ['blob:', 'data:'],
      'object-src': ["'none'"],
      'base-uri': ["'self'"],
      'form-action': ["'none'"],
      'frame-ancestors': ['http://127.0.0.1:4000'],
      'report-uri': ['/csp-report/tok'],
    });
    expect(csp.refused).toEqual([]);
    expect(csp.source).toBe('none');
  });

  it('maps each declared list to its directives', () => {
    const csp = buildCsp(
      {
        connectDomains: ['https://api.example.com', 'wss://live.example.com'],
        resourceDomains: ['https://cdn.example.com'],
        frameDomains: ['https://www.youtube.com'],
        baseUriDomains: ['https://base.example.com'],
      },
      'content',
      CONTEXT,
    );
    const d = directives(csp.header);
    expect(d['connect-src']).toEqual(['https://api.example.com', 'wss://live.example.com']);
    for (const name of ['script-src', 'style-src', 'img-src', 'font-src', 'media-src']) expect(d[name]).toContain('https://cdn.example.com');
    expect(d['frame-src']).toEqual(['https://www.youtube.com']);
    expect(d['base-uri']).toEqual(['https://base.example.com']);
    expect(d['default-src']).toEqual(["'none'"]);
  });

  it('never lets a declaration loosen it: refused entries are left out and named', () => {
    const hostile = {
      connectDomains: ['https://ok.example.com', '*', 'https:', "https://a.com; script-src 'unsafe-eval' *", "'unsafe-eval'", 7],
      resourceDomains: ['data:', 'https://*.com'],
      frameDomains: 'https://everything.example',
      unknownDomains: ['https://ignored.example'],
    };
    const csp = buildCsp(hostile, 'content', CONTEXT);
    const d = directives(csp.header);
    expect(d['connect-src']).toEqual(['https://ok.example.com']);
    expect(d['script-src']).toEqual(["'self'", "'unsafe-inline'", 'data:', 'blob:']);
    expect(d['frame-src']).toEqual(["'none'"]);
    expect(csp.header).not.toMatch(/unsafe-eval|\*(?!\.)|ignored/);
    expect(Object.keys(d)).toHaveLength(14);
    expect(csp.refused.map((r) => `${r.directive} ${r.value}`)).toEqual([
      'connectDomains *',
      'connectDomains https:',
      "connectDomains https://a.com; script-src 'unsafe-eval' *",
      "connectDomains 'unsafe-eval'",
      'connectDomains 7',
      'resourceDomains data:',
      'resourceDomains https://*.com',
      'frameDomains "https://everything.example"',
    ]);
  });

  it('keeps at most 32 sources per list and drops duplicates', () => {
    const many = Array.from({ length: 40 }, (_, i) => `https://s${i}.example.com`);
    const { csp, refused } = sanitizeCsp({ connectDomains: [...many, 'https://s0.example.com'] }, SERVERS.remote);
    expect(csp.connectDomains).toHaveLength(32);
    expect(refused).toHaveLength(8);
  });

  it('reads a declaration that is not an object as none', () => {
    for (const raw of [null, 'connectDomains', 42, ['https://a.com']]) expect(sanitizeCsp(raw, SERVERS.remote)).toEqual({ csp: {}, refused: [] });
  });
});

describe('what a declared origin may reach, by where its server runs (the URL gate)', () => {
  const LOCAL_TARGETS = ['http://127.0.0.1:2375', 'http://169.254.169.254', 'ws://192.168.1.1', 'http://localhost:11434'];

  it('refuses a remote server’s view every origin on this computer or its networks, and plain http anywhere', () => {
    const csp = buildCsp(
      {
        connectDomains: [...LOCAL_TARGETS, 'https://127.0.0.1:8443', 'wss://10.0.0.5', 'https://[::1]:9000', 'https://printer.local', 'http://api.example.com'],
        resourceDomains: ['https://169.254.169.254/latest/'],
        frameDomains: ['https://*.dev.localhost'],
      },
      'content',
      { ...CONTEXT, server: SERVERS.remote },
    );
    const d = directives(csp.header);
    expect(d['connect-src']).toEqual(["'none'"]);
    expect(d['img-src']).toEqual(["'self'", 'data:']);
    expect(d['frame-src']).toEqual(["'none'"]);
    expect(csp.declared).toEqual({ connectDomains: [], resourceDomains: [], frameDomains: [] });
    expect(csp.refused.map((r) => r.value)).toEqual([
      ...LOCAL_TARGETS,
      'https://127.0.0.1:8443',
      'wss://10.0.0.5',
      'https://[::1]:9000',
      'https://printer.local',
      'http://api.example.com',
      'https://169.254.169.254/latest/',
      'https://*.dev.localhost',
    ]);
    for (const r of csp.refused) expect(r.reason, r.value).toMatch(/^(Only https addresses are used\.|The address points to )/);
  });

  it.each([
    ['http://localhost:11434', 'remote', false],
    ['http://localhost:11434', 'stdio', true],
    ['ws://127.0.0.1:8080', 'stdio', true],
    ['https://[::1]:9000', 'stdio', true],
    ['https://api.example.com', 'remote', true],
    ['wss://live.example.com', 'remote', true],
    ['https://*.cdn.example.com', 'remote', true],
    ['http://169.254.169.254', 'stdio', false],
    ['https://169.254.169.254', 'stdio', false],
    ['ws://192.168.1.1', 'stdio', false],
    ['https://10.1.2.3', 'stdio', false],
    ['http://api.example.com', 'stdio', false],
    ['ws://live.example.com', 'stdio', false],
    ['http://*.dev.localhost:5173', 'stdio', false],
    // A Streamable HTTP server on this computer (a dev server) is judged as a stdio one: its views reach this computer.
    ['http://localhost:3001', 'local http', true],
    ['http://127.0.0.1:3001', 'local http', true],
    ['ws://localhost:3001', 'local http on [::1]', true],
    ['https://api.example.com', 'local http', true],
    ['http://169.254.169.254', 'local http', false],
    ['ws://192.168.1.1', 'local http', false],
    ['http://api.example.com', 'local http', false],
    ['http://*.dev.localhost:5173', 'local http', false],
    ['http://localhost:3001', 'remote', false],
    ['https://127.0.0.1:3001', 'remote', false],
    ['http://localhost:3001', 'http named like localhost', false],
    ['http://localhost:3001', 'http with a bad address', false],
  ] as const)('%s declared by a %s server: kept %s', (origin, server, kept) => {
    const { csp, refused } = sanitizeCsp({ connectDomains: [origin] }, SERVERS[server]);
    expect(csp.connectDomains).toEqual(kept ? [origin] : []);
    expect(refused.length).toBe(kept ? 0 : 1);
  });
});
