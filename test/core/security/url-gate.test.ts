// The URL gate, table-driven over well over a hundred hostile and odd URLs, for each thing Steward does with a URL:
// dangerous schemes, credentials (never echoed), control, bidi and invisible characters, private, link-local and
// loopback targets in every spelling (hex, octal, integer, IPv4-mapped and NAT64 IPv6, a trailing dot), look-alike
// international names (mixed scripts, all-Cyrillic, Greek), unparsable strings and absurd lengths. The browser gets the
// canonical form.
import { describe, expect, it } from 'vitest';
import { gatedOpener, judgeUrl, type UrlUse } from '../../../main/core/security/index.js';

interface Case {
  url: string;
  use?: UrlUse;
  allowed: boolean;
  /** Matches one of the problems (refused) or warnings (allowed). */
  says?: RegExp;
  host?: string;
  /** No warning at all (allowed cases). */
  quiet?: boolean;
}

const B = 'browser' as const;
const R = 'remote-fetch' as const;
const L = 'local-fetch' as const;
const M = 'model-api' as const;
const S = 'server' as const;

const SCHEMES: Case[] = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(document.cookie)',
  'javascript://example.com/%0aalert(1)',
  'data:text/html,<script>alert(1)</script>',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'file:///etc/passwd',
  'file://localhost/c:/windows/win.ini',
  'vscode://ms-python.python/run?cmd=rm',
  'blob:https://example.com/1b4e28ba',
  'ftp://example.com/file',
  'ws://example.com/socket',
  'wss://example.com/socket',
  'chrome://settings',
  'about:blank',
  'mailto:victim@example.com',
  'tel:+15555550100',
  'view-source:https://example.com/',
  'intent://scan/#Intent;scheme=zxing;end',
  'ms-settings:privacy',
  'smb://attacker.example/share',
  'ssh://attacker.example',
  'jar:https://example.com/x.jar!/',
  'filesystem:https://example.com/temporary/x',
  'steward://approve-all',
].map((url) => ({ url, allowed: false, says: /never used/ }));

const CASES: Case[] = [
  ...SCHEMES,
  // Plain http: only to this computer, and never for a remote server's endpoints.
  { url: 'http://example.com/pay', allowed: false, says: /Only https/ },
  { url: 'http://example.com/token', use: R, allowed: false, says: /Only https addresses are used\./ },
  { url: 'http://api.example.com/', use: M, allowed: false, says: /Only https/ },
  { url: 'http://127.0.0.1:8765/callback', allowed: true, host: '127.0.0.1' },
  { url: 'http://localhost/callback', allowed: true, host: 'localhost' },
  { url: 'http://app.localhost:3000/', allowed: true, host: 'app.localhost' },
  { url: 'http://[::1]:8080/', allowed: true, host: '[::1]' },
  { url: 'http://localhost/callback', use: R, allowed: false, says: /Only https/ },
  { url: 'https://localhost/token', use: R, allowed: false, says: /this computer/ },
  { url: 'https://127.0.0.1/token', use: R, allowed: false, says: /this computer/ },
  { url: 'http://localhost:9000/token', use: L, allowed: true, host: 'localhost' },
  { url: 'http://127.0.0.1:8080/v1', use: M, allowed: true, host: '127.0.0.1' },
  { url: 'HTTPS://EXAMPLE.COM/Path', allowed: true, host: 'example.com' },
  { url: 'https://example.com:22/', allowed: true, host: 'example.com' },
  // Credentials: refused, whatever the use, and never shown back.
  { url: 'https://user:hunter2@example.com/', allowed: false, says: /user name or password/ },
  { url: 'https://user@example.com/', allowed: false, says: /user name or password/ },
  { url: 'https://:hunter2@example.com/', allowed: false, says: /user name or password/ },
  { url: 'https://example.com@evil.example/', allowed: false, says: /user name or password/ },
  { url: 'https://%40@evil.example/', allowed: false, says: /user name or password/ },
  { url: 'https://user:p%40ss-hunter2@example.com/', allowed: false, says: /user name or password/ },
  { url: 'https://sk-ant-key:hunter2@api.example.com/', use: M, allowed: false, says: /user name or password/ },
  { url: 'https://hunter2@api.example.com/v1', use: M, allowed: false, says: /user name or password/ },
  { url: 'https://token:hunter2@auth.example.com/token', use: R, allowed: false, says: /user name or password/ },
  // Where the host really is.
  { url: 'https://evil.example#@example.com', allowed: true, host: 'evil.example' },
  { url: 'https://evil.example\\@example.com', allowed: true, host: 'evil.example' },
  { url: 'https://evil.example?@example.com', allowed: true, host: 'evil.example' },
  { url: 'https://example.com.evil.example/', allowed: true, host: 'example.com.evil.example' },
  { url: 'https://example.com/%0d%0aSet-Cookie:x=1', allowed: true, host: 'example.com' },
  { url: 'https://example.com/..%2f..%2fetc/passwd', allowed: true, host: 'example.com' },
  // Control, bidi and invisible characters, and spaces.
  { url: ' https://example.com/', allowed: false, says: /spaces, control characters/ },
  { url: 'https://example.com/\t', allowed: false, says: /control characters/ },
  { url: 'https://example.com/\npath', allowed: false, says: /control characters/ },
  { url: 'https://example.com/\rpath', allowed: false, says: /control characters/ },
  { url: 'https://exa\u0000mple.com/', allowed: false, says: /control characters/ },
  { url: 'https://example.com/\u001b[31m', allowed: false, says: /control characters/ },
  { url: 'https://example.com/\u0085', allowed: false, says: /control characters/ },
  { url: 'https://example.com/\u202Egpj.exe', allowed: false, says: /invisible characters/ },
  { url: 'https://example.com/\u2066x\u2069', allowed: false, says: /invisible characters/ },
  { url: 'https://exa\u200bmple.com/', allowed: false, says: /invisible characters/ },
  { url: 'https://example.com/\ufeff', allowed: false, says: /invisible characters/ },
  { url: 'https://example.com/\u{E0041}', allowed: false, says: /invisible characters/ },
  { url: 'https://example.com/\u00a0', allowed: false, says: /spaces/ },
  { url: 'https://example.com/\u3000', allowed: false, says: /spaces/ },
  { url: 'https://example.com/\u2028', allowed: false, says: /spaces/ },
  { url: `https://example.com/${'a'.repeat(9000)}`, allowed: false, says: /characters long/ },
  // Not addresses at all.
  { url: 'not-a-url', allowed: false, says: /not a valid web address/ },
  { url: '//example.com/no-scheme', allowed: false, says: /not a valid web address/ },
  { url: '', allowed: false, says: /not a valid web address/ },
  { url: 'https://', allowed: false, says: /not a valid web address/ },
  { url: 'https://[::1', allowed: false, says: /not a valid web address/ },
  { url: 'https://256.256.256.256/', allowed: false, says: /not a valid web address/ },
  { url: 'https://example.com:99999/', allowed: false, says: /not a valid web address/ },
  { url: 'https://exa mple.com/', allowed: false, says: /spaces/ },
  { url: 'https://xn--/', allowed: false, says: /not a valid web address/ },
  // Loopback in every spelling.
  { url: 'https://0x7f.1/', allowed: true, host: '127.0.0.1' },
  { url: 'https://2130706433/', allowed: true, host: '127.0.0.1' },
  { url: 'https://017700000001/', allowed: true, host: '127.0.0.1' },
  { url: 'https://127.1/', allowed: true, host: '127.0.0.1' },
  { url: 'https://0x7f.1/', use: R, allowed: false, says: /this computer/ },
  { url: 'https://2130706433/', use: R, allowed: false, says: /this computer/ },
  { url: 'https://[::ffff:127.0.0.1]/', use: R, allowed: false, says: /this computer/ },
  { url: 'https://[::ffff:7f00:1]/', use: R, allowed: false, says: /this computer/ },
  { url: 'https://[::1]/', use: R, allowed: false, says: /this computer/ },
  { url: 'https://foo.localhost/', use: R, allowed: false, says: /this computer/ },
  // Private networks: flagged where the user's browser opens them, refused where Steward would fetch.
  { url: 'https://192.168.1.1/admin', allowed: true, says: /private network/ },
  { url: 'https://192.168.1.1/admin', use: R, allowed: false, says: /private network/ },
  { url: 'https://192.168.1.1/admin', use: L, allowed: false, says: /private network/ },
  { url: 'https://10.0.0.5/', use: R, allowed: false, says: /private/ },
  { url: 'https://10.0.0.5/', use: M, allowed: true, says: /private network/ },
  { url: 'https://172.16.0.1/', use: R, allowed: false, says: /private/ },
  { url: 'https://172.31.255.255/', use: R, allowed: false, says: /private/ },
  { url: 'https://172.32.0.1/', use: R, allowed: true, quiet: true },
  { url: 'https://100.64.0.1/', use: R, allowed: false, says: /private/ },
  { url: 'https://100.128.0.1/', use: R, allowed: true, quiet: true },
  { url: 'https://224.0.0.1/', use: R, allowed: false, says: /private/ },
  { url: 'https://255.255.255.255/', use: R, allowed: false, says: /private/ },
  { url: 'https://0.0.0.0/', use: R, allowed: false, says: /private/ },
  { url: 'https://0/', use: R, allowed: false, says: /private/ },
  { url: 'https://[fd12:3456::1]/', use: R, allowed: false, says: /private/ },
  { url: 'https://[fc00::1]/', use: R, allowed: false, says: /private/ },
  { url: 'https://[ff02::1]/', use: R, allowed: false, says: /private/ },
  { url: 'https://[::]/', use: R, allowed: false, says: /private/ },
  { url: 'https://[::ffff:192.168.0.1]/', use: R, allowed: false, says: /private/ },
  { url: 'https://[::ffff:a00:1]/', use: R, allowed: false, says: /private/ },
  { url: 'https://printer.local/', use: R, allowed: false, says: /private/ },
  { url: 'https://printer.local/', allowed: true, says: /private/ },
  // Link-local: the cloud metadata service, in every spelling.
  { url: 'https://169.254.169.254/latest/meta-data/', allowed: true, says: /link-local/ },
  { url: 'https://169.254.169.254/latest/meta-data/', use: R, allowed: false, says: /link-local/ },
  { url: 'https://169.254.169.254/', use: M, allowed: false, says: /link-local/ },
  { url: 'http://169.254.169.254/', use: M, allowed: false, says: /Only https/ },
  { url: 'https://0xa9fea9fe/', use: M, allowed: false, says: /link-local/ },
  { url: 'https://2852039166/', use: R, allowed: false, says: /link-local/ },
  { url: 'https://[fe80::1]/', use: R, allowed: false, says: /link-local/ },
  { url: 'https://[::ffff:169.254.169.254]/', use: M, allowed: false, says: /link-local/ },
  { url: 'https://[64:ff9b::a9fe:a9fe]/', use: R, allowed: false, says: /link-local/ },
  // A trailing dot names the same host, fully qualified: this computer and private networks are still refused.
  { url: 'https://localhost./', use: R, allowed: false, says: /on this computer/ },
  { url: 'https://localhost../', use: R, allowed: false, says: /on this computer/ },
  { url: 'https://app.localhost./', use: R, allowed: false, says: /on this computer/ },
  { url: 'https://printer.local./', use: R, allowed: false, says: /private network/ },
  { url: 'https://10.0.0.1../', use: R, allowed: false, says: /private network/ },
  { url: 'https://127.0.0.1./', use: R, allowed: false, says: /on this computer/ },
  { url: 'http://localhost./callback', use: L, allowed: true, host: 'localhost.' },
  { url: 'https://example.com./', use: R, allowed: true, host: 'example.com.', quiet: true },
  // International names: shown as sent (punycode), look-alikes called out with what they imitate.
  { url: 'https://pаypal.com/login', allowed: true, says: /mixes Latin and Cyrillic.*"paypal\.com"/, host: 'xn--pypal-4ve.com' },
  { url: 'https://xn--pypal-4ve.com/login', allowed: true, says: /mixes Latin and Cyrillic/, host: 'xn--pypal-4ve.com' },
  { url: 'https://xn--pple-43d.com/login', allowed: true, says: /mixes/, host: 'xn--pple-43d.com' },
  { url: 'https://аррӏе.com/', allowed: true, says: /look like Latin ones.*"apple\.com"/, host: 'xn--80ak6aa92e.com' },
  { url: 'https://gοοgle.com/', allowed: true, says: /mixes Latin and Greek/, host: 'xn--ggle-0nda.com' },
  { url: 'https://аpple.com.evil.example/', allowed: true, says: /mixes/ },
  { url: 'https://münchen.de/rathaus', allowed: true, says: /international name \("münchen\.de"\)/, host: 'xn--mnchen-3ya.de' },
  { url: 'https://日本.jp/', allowed: true, says: /international name/ },
  { url: 'https://ｅｘａｍｐｌｅ.com/', allowed: true, host: 'example.com', quiet: true },
  { url: 'https://EXAMPLE.com./', allowed: true, host: 'example.com.' },
  { url: 'https://pаypal.com/login', use: R, allowed: true, says: /mixes/, host: 'xn--pypal-4ve.com' },
  // Remote MCP servers the user adds: a server on the user's own network may speak plain http (with a warning), never
  // with credentials in the address, never another scheme, never the cloud metadata address.
  { url: 'https://mcp.example.com/mcp', use: S, allowed: true, quiet: true },
  { url: 'http://127.0.0.1:3000/mcp', use: S, allowed: true, quiet: true },
  { url: 'http://192.168.1.20:8123/mcp', use: S, allowed: true, says: /plain http/ },
  { url: 'http://mcp.example.com/mcp', use: S, allowed: true, says: /can be read on the way/ },
  { url: 'https://ada:hunter2@mcp.example.com/mcp', use: S, allowed: false, says: /user name or password/ },
  { url: 'http://169.254.169.254/latest/meta-data/', use: S, allowed: false, says: /link-local/ },
  { url: 'ws://mcp.example.com/mcp', use: S, allowed: false, says: /never used/ },
  { url: 'https://mcp.example.com/\u202e/mcp', use: S, allowed: false, says: /invisible/ },
];

const useOf = (c: Case): UrlUse => c.use ?? B;

describe('judgeUrl', () => {
  it(`has a verdict for each of ${CASES.length} hostile and odd URLs`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(100);
  });

  it.each(CASES)('$url ($use)', (c) => {
    const verdict = judgeUrl(c.url, useOf(c));
    expect(verdict.allowed, JSON.stringify(verdict)).toBe(c.allowed);
    if (c.says) expect([...verdict.problems, ...verdict.warnings].join(' | ')).toMatch(c.says);
    if (c.host !== undefined) expect(verdict.host).toBe(c.host);
    if (c.quiet) expect(verdict.warnings).toEqual([]);
    if (!c.allowed) {
      expect(verdict.problems.length).toBeGreaterThan(0);
      expect(verdict.canonical).toBe('');
    } else {
      // The browser gets the WHATWG serialisation, and the user reads the same, host in its sent (ASCII) form.
      expect(verdict.canonical).toBe(new URL(c.url).href);
      expect(verdict.display).toBe(verdict.canonical.slice(0, 500));
      expect(verdict.host).toMatch(/^[\x21-\x7e]*$/);
    }
    // A password is never echoed, and what is shown is bounded.
    expect(JSON.stringify(verdict)).not.toContain('hunter2');
    expect(verdict.display.length).toBeLessThanOrEqual(500);
  });
});

describe('gatedOpener', () => {
  it('hands only allowed URLs to the opener, in their canonical form, judging them at the moment of opening', async () => {
    const opened: string[] = [];
    const open = gatedOpener((url) => {
      opened.push(url);
      return Promise.resolve();
    });
    const browserCases = CASES.filter((c) => useOf(c) === B);
    for (const c of browserCases) {
      const attempt = open(c.url);
      if (judgeUrl(c.url, B).allowed) await attempt;
      else await expect(attempt).rejects.toMatchObject({ code: 'invalid_payload' });
    }
    expect(opened).toEqual(browserCases.filter((c) => judgeUrl(c.url, B).allowed).map((c) => new URL(c.url).href));
    expect(opened).toContain('https://xn--pypal-4ve.com/login');
    expect(opened.join(' ')).not.toMatch(/[^\x21-\x7e ]/);
  });
});
