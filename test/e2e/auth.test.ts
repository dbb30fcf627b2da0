// Signing in to a remote server in the browser, against the OAuth fixture (an SDK-built MCP server that is its own
// authorization server, auto-approving): the prompt shows the whole sign-in address and opens nothing before the click;
// a cancelled prompt leaves a "Sign in" on the server's row; the system browser (the test host's opener, played here by
// fetch) comes back to Steward and the server connects; the Sign-in tab shows the token; sign-out asks again; a sign-in
// left waiting is found in the Inbox and cancelled, after which the browser's late answer is refused; the settings form
// shows the host's refusal next to the field, and a secret is never shown back.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { dismissWithEscape, openRig, type BrowserRig } from '../helpers/browser.js';
import { FIXTURES } from '../helpers/paths.js';
import { startListening, type Started } from '../helpers/processes.js';

const OAUTH = join(FIXTURES, 'oauth-server.mjs');

let rig: BrowserRig | undefined;
let fixture: Started | undefined;
afterEach(async () => {
  await rig?.close();
  await fixture?.stop();
  rig = undefined;
  fixture = undefined;
});

const signInDialog = (page: Page, server: string) => page.getByRole('dialog', { name: `Sign in to “${server}”` });
const waitingDialog = (page: Page, host: string) => page.getByRole('dialog', { name: `Waiting for you to finish signing in at ${host}` });
const row = (page: Page, name: string) => page.locator(`tbody[data-server="${name}"]`);

/** What the user's browser does with the page it was given: the authorization server approves and sends it back to Steward. */
async function browserVisits(url: string): Promise<Response> {
  const page = await fetch(url, { redirect: 'manual' });
  const back = page.headers.get('location');
  expect(back).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback\?/);
  return fetch(back!);
}

describe('signing in to a remote server in the browser', () => {
  it('asks before opening, connects after the browser comes back, shows the sign-in, signs out and asks again', async () => {
    fixture = await startListening([OAUTH]);
    const issuer = `http://127.0.0.1:${fixture.port}`;
    rig = await openRig();
    const { page, t } = rig;

    await page.getByRole('button', { name: 'Add server' }).click();
    const add = page.getByRole('dialog', { name: 'Add a server' });
    await add.getByRole('tab', { name: 'Remote (HTTP)' }).click();
    await add.getByLabel('Name').fill('files');
    await add.getByLabel('URL').fill(fixture.url);
    await add.getByRole('button', { name: 'Add server' }).click();
    await add.waitFor({ state: 'detached' });
    await row(page, 'files').getByRole('button', { name: 'Start “files”' }).click();

    // The prompt: which server, where it signs in, what it asks for, and the whole address; nothing opened yet.
    const prompt = signInDialog(page, 'files');
    await prompt.waitFor();
    const item = t.host.inbox.list().find((i) => i.kind === 'auth');
    if (item?.kind !== 'auth') throw new Error('no sign-in in the inbox');
    const asked = new URL(item.request.authorizationUrl);
    expect(asked.origin).toBe(issuer);
    expect(asked.searchParams.get('code_challenge_method')).toBe('S256');
    expect(await prompt.getByTestId('sign-in-url').textContent()).toBe(item.request.verdict.display);
    expect(await prompt.getByTestId('sign-in-url').locator('mark').textContent()).toBe('127.0.0.1');
    expect(await prompt.getByRole('list', { name: 'Scopes asked for' }).textContent()).toBe('mcp:read');
    expect(await prompt.locator('.auth-facts').textContent()).toContain(fixture.url);
    expect(await prompt.getByText('Afterwards the browser comes back to').textContent()).toContain(asked.searchParams.get('redirect_uri'));
    expect(t.opened).toEqual([]);
    await rig.shot('sign-in');

    // Cancelled: nothing opens, and the server's row offers the sign-in.
    await prompt.getByRole('button', { name: 'Cancel' }).click();
    await prompt.waitFor({ state: 'detached' });
    expect(t.host.inbox.list()).toEqual([]);
    expect(t.opened).toEqual([]);
    await row(page, 'files').locator('.code-tag', { hasText: 'auth_required' }).waitFor();
    await row(page, 'files').getByRole('button', { name: 'Sign in to “files”' }).click();

    // Asked again; this time the page opens, and only on the click.
    await prompt.waitFor();
    const again = t.host.inbox.list().find((i) => i.kind === 'auth');
    if (again?.kind !== 'auth') throw new Error('no sign-in in the inbox');
    await prompt.getByRole('button', { name: 'Open in browser' }).click();
    const waiting = waitingDialog(page, '127.0.0.1');
    await waiting.waitFor();
    expect(t.opened).toEqual([again.request.authorizationUrl]);

    const back = await browserVisits(t.opened[0]!);
    expect(back.status).toBe(200);
    expect(await back.text()).toContain('Signed in to files');
    await waiting.getByText('Signed in to “files” at 127.0.0.1.').waitFor();
    await waiting.locator('.modal-footer').getByRole('button', { name: 'Close' }).click();
    await waiting.waitFor({ state: 'detached' });
    await row(page, 'files').locator('[data-status="running"]').waitFor();

    await page.getByRole('link', { name: 'files', exact: true }).click();
    const tools = page.getByRole('list', { name: 'Tools' });
    for (const tool of ['whoami', 'write_file', 'echo']) await tools.locator('.pick-name', { hasText: new RegExp(`^${tool}$`) }).waitFor();

    // The Sign-in tab: issuer, scopes, expiry and how Steward is registered.
    await page.getByRole('tab', { name: 'Sign-in' }).click();
    const state = page.getByTestId('auth-state');
    await state.getByText('Signed in', { exact: true }).waitFor();
    await page.getByText(issuer, { exact: true }).waitFor();
    expect(await page.getByRole('list', { name: 'Scopes granted' }).textContent()).toBe('mcp:read');
    await page.getByText(/^Expires in \d+ min \d+ s/).waitFor();
    await page.getByText('a client Steward registered for itself (dynamic registration)').waitFor();
    const view = await t.host.auth.view(item.serverId);
    expect(view).toMatchObject({ signedIn: true, issuer, registration: 'dynamic' });
    await page.getByText(view.clientId!).waitFor();
    await rig.shot('auth-view');

    // Signing in again drops the tokens, keeps the registration, and asks; finished, the server is back.
    await page.getByRole('button', { name: 'Sign in again…' }).click();
    const reauth = page.getByRole('dialog', { name: 'Sign in to “files” again?' });
    await reauth.getByRole('button', { name: 'Sign in again', exact: true }).click();
    await reauth.waitFor({ state: 'detached' });
    await prompt.waitFor();
    await prompt.getByRole('button', { name: 'Open in browser' }).click();
    await waiting.waitFor();
    expect((await browserVisits(t.opened.at(-1)!)).status).toBe(200);
    await waiting.getByText('Signed in to “files” at 127.0.0.1.').waitFor();
    await waiting.locator('.modal-footer').getByRole('button', { name: 'Close' }).click();
    await waiting.waitFor({ state: 'detached' });
    await state.getByText('Signed in', { exact: true }).waitFor();
    expect((await t.host.auth.view(item.serverId)).clientId).toBe(view.clientId);

    // Signing out deletes the tokens and disconnects; signing in asks again.
    await page.getByRole('button', { name: 'Sign out…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Sign out of “files”?' });
    await confirm.getByRole('button', { name: 'Sign out', exact: true }).click();
    await confirm.waitFor({ state: 'detached' });
    await state.getByText('Not signed in').waitFor();
    expect(await t.host.auth.view(item.serverId)).toMatchObject({ signedIn: false, scopes: [] });
    await page.locator('[data-status="stopped"]').first().waitFor();
    await page.getByRole('button', { name: 'Sign in to files', exact: true }).click();
    await prompt.waitFor();
    const third = t.host.inbox.list().find((i) => i.kind === 'auth');
    expect(third).toMatchObject({ kind: 'auth', request: { reason: 'sign_in', stage: 'consent' } });

    // Left waiting, the sign-in stays in the Inbox; cancelled there, the redirect listener is gone: the browser's late
    // answer reaches nothing.
    await prompt.getByRole('button', { name: 'Open in browser' }).click();
    await dismissWithEscape(page, waiting);
    await page.getByRole('link', { name: /^Inbox/ }).click();
    const inboxRow = page.locator('li.inbox-item[data-kind="auth"]');
    await inboxRow.getByText('Waiting for you to finish signing in to').waitFor();
    await inboxRow.getByRole('button', { name: 'Open the request from files' }).click();
    await waiting.getByRole('button', { name: 'Cancel' }).click();
    await waiting.waitFor({ state: 'detached' });
    expect(t.host.inbox.list()).toEqual([]);
    await expect(browserVisits(t.opened.at(-1)!)).rejects.toThrow(/fetch failed/);
    expect((await t.host.auth.view(item.serverId)).signedIn).toBe(false);

    // The settings form: the host's refusal shows next to its field; a secret goes in and never comes back out.
    await page.getByRole('link', { name: 'Servers' }).click();
    await page.getByRole('link', { name: 'files', exact: true }).click();
    await page.getByRole('tab', { name: 'Sign-in' }).click();
    const form = page.getByRole('form', { name: 'How Steward signs in' });
    await form.getByLabel('Enterprise sign-in').check();
    await form.getByLabel('Identity provider token endpoint').fill('not a url');
    await form.getByRole('button', { name: 'Save sign-in settings' }).click();
    const endpoint = form.getByLabel('Identity provider token endpoint');
    await form.getByText('Nothing was saved: fix the settings marked above.').waitFor();
    expect(await endpoint.getAttribute('aria-invalid')).toBe('true');
    expect((await t.host.auth.view(item.serverId)).config.mode).toBe('oauth');
    await form.getByRole('button', { name: 'Discard' }).click();

    await form.getByLabel('Pre-registered client ID').fill('steward-desktop');
    await form.getByLabel('Client secret', { exact: true }).fill('pssst-not-for-the-page');
    await form.getByRole('button', { name: 'Save sign-in settings' }).click();
    await form.getByText('One is set; Steward never shows it.', { exact: false }).waitFor();
    expect(await form.getByLabel('Client secret', { exact: true }).inputValue()).toBe('');
    expect(await t.host.auth.view(item.serverId)).toMatchObject({ config: { mode: 'oauth', clientId: 'steward-desktop' }, secretsSet: { clientSecret: true } });
    expect(await page.content()).not.toContain('pssst-not-for-the-page');
    expect(rig.errors).toEqual([]);
  });
});
