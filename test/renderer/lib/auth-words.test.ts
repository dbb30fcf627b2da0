// How signing in reads on screen: which setting a refusal is about (against the dispatcher's real sentences), when a
// remote server needs the user, how a token's expiry reads, what a step-up adds, and the parts of a sign-in address.
import { describe, expect, it } from 'vitest';
import type { ServerView } from '../../../shared/domain/servers.js';
import { createDispatcher, type Handlers } from '../../../shared/dispatch.js';
import { addedScopes, formatExpiry, needsSignIn, pageOf, returnAddress, settingIssues } from '../../../renderer/src/lib/auth-words.js';

/** The dispatcher refuses a bad payload before any handler runs, so none is needed to get its sentence. */
async function refusal(payload: unknown): Promise<string> {
  const outcome = await createDispatcher({} as Handlers)('auth:configure', payload);
  if (outcome.ok) throw new Error('the payload was accepted');
  expect(outcome.code).toBe('invalid_payload');
  return outcome.message;
}

describe('settingIssues', () => {
  it('puts the dispatcher’s refusal of a setting next to that setting', async () => {
    const message = await refusal({ serverId: 's1', config: { idpTokenEndpoint: 'not a url', mode: 'sideways' } });
    const issues = settingIssues(message);
    expect(Object.keys(issues).sort()).toEqual(['idpTokenEndpoint', 'mode']);
    expect(issues.idpTokenEndpoint).toMatch(/url/i);
    expect(issues.idpTokenEndpoint).not.toMatch(/\.$/);
  });

  it('names the secret a refusal is about', async () => {
    const issues = settingIssues(await refusal({ serverId: 's1', secrets: { clientSecret: '' } }));
    expect(Object.keys(issues)).toEqual(['clientSecret']);
  });

  it('reads the host’s own sentence, and leaves anything else to the whole message', () => {
    expect(settingIssues('That sign-in setting is not valid: clientId: Too small; scope: Too big.')).toEqual({ clientId: 'Too small', scope: 'Too big' });
    expect(settingIssues('The request for auth:configure is not valid: serverId: Invalid input.')).toEqual({});
    expect(settingIssues('There is no such server.')).toEqual({});
  });
});

describe('needsSignIn', () => {
  const server = (patch: Partial<ServerView>) =>
    ({ transport: 'http', status: 'crashed', lastError: { code: 'auth_required', message: 'sign in', stderrTail: [] }, ...patch }) as ServerView;
  it.each([
    ['a remote server stopped for want of a sign-in', {}, true],
    ['one whose sign-in failed', { lastError: { code: 'auth_failed', message: 'refused', stderrTail: [] } }, true],
    ['one that failed for another reason', { lastError: { code: 'connect_failed', message: 'closed', stderrTail: [] } }, false],
    ['one without an error', { lastError: null }, false],
    ['one connecting again already', { status: 'starting' }, false],
    ['one running (the error is old)', { status: 'running' }, false],
    ['a local server', { transport: 'stdio' }, false],
  ] as const)('%s: %s', (_what, patch, expected) => {
    expect(needsSignIn(server(patch as Partial<ServerView>))).toBe(expected);
  });
});

describe('formatExpiry', () => {
  const now = Date.parse('2026-03-01T10:00:00Z');
  it.each([
    ['2026-03-01T10:59:58Z', 'in 59 min 58 s'],
    ['2026-03-01T09:57:00Z', 'expired 3 min 0 s ago'],
    ['not a date', 'not a date'],
  ])('%s reads %s', (iso, expected) => {
    expect(formatExpiry(iso, now)).toBe(expected);
  });
});

describe('the parts of a sign-in', () => {
  const url = 'http://127.0.0.1:4000/authorize?response_type=code&redirect_uri=http%3A%2F%2F127.0.0.1%3A33418%2Foauth%2Fcallback&scope=mcp%3Aread#x';
  it('finds where the browser comes back to', () => {
    expect(returnAddress(url)).toBe('http://127.0.0.1:33418/oauth/callback');
    expect(returnAddress('http://127.0.0.1:4000/authorize')).toBeNull();
    expect(returnAddress('not a url')).toBeNull();
  });

  it('shows the page without its parameters', () => {
    expect(pageOf(url)).toBe('http://127.0.0.1:4000/authorize');
    expect(pageOf('https://as.example.com/login#frag')).toBe('https://as.example.com/login');
    expect(pageOf('https://as.example.com/login')).toBe('https://as.example.com/login');
  });

  it('names the scopes a step-up adds to those held', () => {
    expect(addedScopes(['mcp:read', 'files:write'], ['mcp:read'])).toEqual(['files:write']);
    expect(addedScopes(['mcp:read'], ['mcp:read', 'files:write'])).toEqual([]);
  });
});
