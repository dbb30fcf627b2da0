// The URL gate, table-driven: hostile and odd URLs a server might send, and what the user is told about each.
import { describe, expect, it } from 'vitest';
import { ELICITATION_GATE } from '../../../main/core/elicitation/index.js';
import { checkUrl, gatedOpener, type GateOptions } from '../../../main/core/security/index.js';

interface Case {
  url: string;
  /** The gate as elicitation uses it (the user's browser opens the page), or as Steward would fetch (the default). */
  as?: 'elicitation' | 'fetch';
  allowed: boolean;
  /** Matches one of the problems (refused) or warnings (allowed). */
  says?: RegExp;
  host?: string;
}

const CASES: Case[] = [
  { url: 'https://example.com/connect?step=1', allowed: true, host: 'example.com' },
  { url: 'http://example.com/pay', allowed: false, says: /Only https/ },
  { url: 'http://127.0.0.1:8765/callback', as: 'elicitation', allowed: true, host: '127.0.0.1' },
  { url: 'http://localhost/callback', as: 'elicitation', allowed: true, host: 'localhost' },
  { url: 'http://localhost/callback', as: 'fetch', allowed: false, says: /Only https/ },
  { url: 'javascript:alert(1)', allowed: false, says: /"javascript:" are never opened/ },
  { url: 'JaVaScRiPt:alert(document.cookie)', allowed: false, says: /"javascript:"/ },
  { url: 'data:text/html,<script>alert(1)</script>', allowed: false, says: /"data:"/ },
  { url: 'file:///etc/passwd', allowed: false, says: /"file:"/ },
  { url: 'vscode://ms-python.python/run?cmd=rm', allowed: false, says: /"vscode:"/ },
  { url: 'blob:https://example.com/1b4e28ba', allowed: false, says: /"blob:"/ },
  { url: 'ftp://example.com/file', allowed: false, says: /"ftp:"/ },
  { url: 'https://user:hunter2@example.com/', allowed: false, says: /user name or password/ },
  { url: 'https://example.com@evil.example/', allowed: false, says: /user name or password/ },
  { url: 'https://evil.example#@example.com', allowed: true, host: 'evil.example' },
  { url: 'https://xn--pple-43d.com/login', allowed: true, says: /look-alike/, host: 'аpple.com' },
  { url: 'https://аррӏе.com/', allowed: true, says: /non-Latin letters that look like Latin/ },
  { url: 'https://münchen.de/rathaus', allowed: true, says: /international name/, host: 'münchen.de' },
  { url: 'https://192.168.1.1/admin', as: 'elicitation', allowed: true, says: /private or link-local/ },
  { url: 'https://192.168.1.1/admin', as: 'fetch', allowed: false, says: /private or link-local/ },
  { url: 'https://10.0.0.5/', allowed: false, says: /private/ },
  { url: 'https://169.254.169.254/latest/meta-data/', allowed: false, says: /private or link-local/ },
  { url: 'https://100.64.0.1/', allowed: false, says: /private/ },
  { url: 'https://224.0.0.1/', allowed: false, says: /private/ },
  { url: 'https://[fe80::1]/', allowed: false, says: /private/ },
  { url: 'https://[fd12:3456::1]/', allowed: false, says: /private/ },
  { url: 'https://[::ffff:192.168.0.1]/', allowed: false, says: /private/ },
  { url: 'https://[::ffff:a00:1]/', allowed: false, says: /private/ },
  { url: 'https://[::]/', allowed: false, says: /private/ },
  { url: 'https://[::1]:8443/', allowed: true, host: '[::1]' },
  { url: 'https://0x7f.1/', allowed: true, host: '127.0.0.1' },
  { url: 'https://2130706433/', allowed: true, host: '127.0.0.1' },
  { url: `https://example.com/${'a'.repeat(9000)}`, allowed: false, says: /characters long/ },
  { url: ' https://example.com/', allowed: false, says: /spaces or control characters/ },
  { url: 'https://example.com/\npath', allowed: false, says: /spaces or control characters/ },
  { url: 'https://exa\u0000mple.com/', allowed: false, says: /control characters/ },
  { url: 'https://example.com/\u202Egpj.exe', allowed: true, host: 'example.com' },
  { url: 'https://example.com/%0d%0aSet-Cookie:x=1', allowed: true, host: 'example.com' },
  { url: 'not-a-url', allowed: false, says: /not a valid web address/ },
  { url: '//example.com/no-scheme', allowed: false, says: /not a valid web address/ },
];

const optionsFor = (c: Case): GateOptions => (c.as === 'fetch' ? {} : c.as === 'elicitation' ? ELICITATION_GATE : {});

describe('checkUrl', () => {
  it(`has a verdict for each of ${CASES.length} hostile and odd URLs`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(25);
  });

  it.each(CASES)('$url ($as)', (c) => {
    const verdict = checkUrl(c.url, optionsFor(c));
    expect(verdict.allowed, JSON.stringify(verdict)).toBe(c.allowed);
    if (c.says) expect([...verdict.problems, ...verdict.warnings].join(' | ')).toMatch(c.says);
    if (c.host !== undefined) expect(verdict.host).toBe(c.host);
    if (!c.allowed) expect(verdict.problems.length).toBeGreaterThan(0);
    // What is shown is bounded, whatever came in.
    expect(verdict.display.length).toBeLessThanOrEqual(Math.max(500, c.url.length));
  });

  it('shows an international host decoded, next to the form it is sent in', () => {
    const verdict = checkUrl('https://xn--80ak6aa92e.com/');
    expect(verdict.host).toBe('аррӏе.com');
    expect(verdict.display).toBe('https://аррӏе.com/');
    expect(verdict.warnings.join(' ')).toContain('xn--80ak6aa92e.com');
  });
});

describe('gatedOpener', () => {
  it('hands only allowed URLs to the opener, judging them again at the moment of opening', async () => {
    const opened: string[] = [];
    const open = gatedOpener((url) => {
      opened.push(url);
      return Promise.resolve();
    }, ELICITATION_GATE);
    for (const c of CASES) {
      const attempt = open(c.url);
      if (checkUrl(c.url, ELICITATION_GATE).allowed) await attempt;
      else await expect(attempt).rejects.toMatchObject({ code: 'invalid_payload' });
    }
    expect(opened).toEqual(CASES.filter((c) => checkUrl(c.url, ELICITATION_GATE).allowed).map((c) => c.url));
    expect(opened).not.toContain('javascript:alert(1)');
  });
});
