// Elicitation end to end in the browser: a form with every field kind filled, checked and sent; a declined and a
// dismissed form; pages opened only after the click and never fetched by the page; addresses Steward refuses or flags;
// a tool call that needs a page first (-32042) and is tried again; a secret-looking field and the host's own refusal —
// the real renderer against the real host, server-everything and the elicitation fixture over stdio.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { dismissWithEscape, openRig, type BrowserRig, type PageElement } from '../helpers/browser.js';
import { addApproved } from '../helpers/host.js';
import { EVERYTHING, FIXTURES, NODE } from '../helpers/paths.js';

let rig: BrowserRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const formDialog = (page: Page, server: string) => page.getByRole('dialog', { name: `“${server}” asks you to fill in a form` });
const pageDialog = (page: Page, server: string) => page.getByRole('dialog', { name: `“${server}” asks you to open a page` });
const waitingDialog = (page: Page, host: string) => page.getByRole('dialog', { name: `Waiting for ${host}` });
const textOf = (r: { content: Record<string, unknown>[] }) => r.content.map((c) => (typeof c.text === 'string' ? c.text : '')).join('\n');
/** server-everything ends its answer with the raw ElicitResult. */
const rawResult = (text: string) =>
  JSON.parse(text.slice(text.indexOf('Raw result: ') + 'Raw result: '.length)) as { action: string; content?: Record<string, unknown> };

/** A rig with one approved server; its row on screen means the app has read the host's state, inbox included. */
async function withServer(name: string, args: string[]) {
  rig = await openRig();
  const { view, approve } = await addApproved(rig.t.host, name, NODE, args);
  const started = await approve();
  expect(started.status, JSON.stringify(started.lastError)).toBe('running');
  await rig.page.locator(`tbody[data-server="${name}"] [data-status="running"]`).waitFor();
  const r = rig;
  const run = (tool: string, args: Record<string, unknown> = {}) => {
    const result = r.t.host.runTool({ serverId: view.id, name: tool, arguments: args }).then(textOf);
    // A test that fails before awaiting it closes the rig, which fails the call: that is not a second failure.
    result.catch(() => undefined);
    return result;
  };
  return { r, page: r.page, run };
}

describe('elicitation in the browser', () => {
  it('fills every kind of field, holds back a bad email, and the server gets the answers', async () => {
    const { r, page, run } = await withServer('everything', [EVERYTHING, 'stdio']);
    const answer = run('trigger-elicitation-request');
    const dialog = formDialog(page, 'everything');
    await dialog.getByText('Please provide inputs for the following fields:').waitFor();

    // Defaults are filled in; the one required field is marked.
    expect(await dialog.getByLabel('String with default', { exact: true }).inputValue()).toBe('It was a dark and stormy night.');
    expect(await dialog.getByLabel('Integer', { exact: true }).inputValue()).toBe('42');
    expect(await dialog.getByLabel('Untitled Single Select Enum', { exact: true }).inputValue()).toBe('Monica');
    expect(await dialog.getByRole('radiogroup', { name: 'Titled Single Select Enum' }).getByLabel('Superman').isChecked()).toBe(true);
    expect(await dialog.getByRole('group', { name: 'Untitled Multiple Select Enum' }).getByLabel('Guitar').isChecked()).toBe(true);
    expect(await dialog.locator('[data-field="name"] .required-mark').count()).toBe(1);
    expect(await dialog.locator('.required-mark').count()).toBe(1);
    expect(await dialog.getByText('looks like a secret').count()).toBe(0);

    // A bad email is caught as the user leaves the field, and Submit sends nothing while anything is wrong.
    const email = dialog.getByLabel('String with email format', { exact: true });
    expect(await email.getAttribute('type')).toBe('email');
    await email.fill('ada-at-example');
    expect(await dialog.getByText('Enter an email address.').count()).toBe(0);
    await email.blur();
    await dialog.locator('[data-field="email"]').getByText('Enter an email address.').waitFor();
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    await dialog.getByRole('button', { name: 'Submit' }).click();
    await dialog.getByRole('alert').getByText('Fix 2 answers marked above before sending.').waitFor();
    await dialog.locator('[data-field="name"]').getByText('Required.').waitFor();
    const name = dialog.getByLabel('String', { exact: true });
    expect(await name.evaluate((el: PageElement) => el.ownerDocument.activeElement === el)).toBe(true);
    expect(r.t.host.inbox.list().map((i) => i.kind)).toEqual(['elicitation']);

    await name.fill('Ada Lovelace');
    await dialog.getByLabel('Boolean', { exact: true }).check();
    await dialog.getByLabel('String with default', { exact: true }).fill('Call me Ishmael.');
    await email.fill('ada@example.com');
    expect(await email.getAttribute('aria-invalid')).toBeNull();
    const homepage = dialog.getByLabel('String with uri format', { exact: true });
    expect(await homepage.getAttribute('type')).toBe('url');
    await homepage.fill('https://ada.example.com/notes');
    const birthdate = dialog.getByLabel('String with date format', { exact: true });
    expect(await birthdate.getAttribute('type')).toBe('date');
    await birthdate.fill('1815-12-10');
    const integer = dialog.getByLabel('Integer', { exact: true });
    expect([await integer.getAttribute('min'), await integer.getAttribute('max'), await integer.getAttribute('step')]).toEqual(['1', '100', '1']);
    await integer.fill('101');
    await integer.blur();
    await dialog.locator('[data-field="integer"]').getByText('At most 100.').waitFor();
    await integer.fill('7');
    await dialog.getByLabel('Number in range 1-1000', { exact: true }).fill('2.5');
    await dialog.getByLabel('Untitled Single Select Enum', { exact: true }).selectOption('Joey');
    const instruments = dialog.getByRole('group', { name: 'Untitled Multiple Select Enum' });
    for (const pick of ['Piano', 'Drums', 'Bass']) await instruments.getByLabel(pick).check();
    await instruments.getByText('Choose at most 3.').waitFor();
    await instruments.getByLabel('Bass').uncheck();
    expect(await instruments.getByText('Choose at most 3.').count()).toBe(0);
    await dialog.getByRole('radiogroup', { name: 'Titled Single Select Enum' }).getByLabel('Wonder Woman').check();
    await dialog.getByRole('group', { name: 'Titled Multiple Select Enum' }).getByLabel('Salmon').check();
    await dialog.getByRole('radiogroup', { name: 'Legacy Titled Single Select Enum' }).getByLabel('Birds').check();
    expect(await dialog.locator('.field-error').count()).toBe(0);
    await dialog.locator('.modal-body').evaluate((el: PageElement) => el.scrollTo(0, 0));
    await r.shot('elicitation-form');

    await dialog.getByRole('button', { name: 'Submit' }).click();
    await dialog.waitFor({ state: 'detached' });
    const text = await answer;
    for (const line of [
      '- Name: Ada Lovelace',
      '- Agreed to terms: true',
      '- Email: ada@example.com',
      '- Homepage: https://ada.example.com/notes',
      '- Birthdate: 1815-12-10',
      '- Favorite Integer: 7',
      '- Favorite Number: 2.5',
    ]) {
      expect(text).toContain(line);
    }
    expect(rawResult(text)).toEqual({
      action: 'accept',
      content: {
        name: 'Ada Lovelace',
        check: true,
        firstLine: 'Call me Ishmael.',
        email: 'ada@example.com',
        homepage: 'https://ada.example.com/notes',
        birthdate: '1815-12-10',
        integer: 7,
        number: 2.5,
        untitledSingleSelectEnum: 'Joey',
        untitledMultipleSelectEnum: ['Guitar', 'Piano', 'Drums'],
        titledSingleSelectEnum: 'hero-3',
        titledMultipleSelectEnum: ['fish-1', 'fish-2'],
        legacyTitledEnum: 'pet-3',
      },
    });
    expect(r.t.host.inbox.list()).toEqual([]);
    expect(r.errors).toEqual([]);
  });

  it('declines a form; Escape closes one without answering, and it waits in the Inbox until Cancel', async () => {
    const { r, page, run } = await withServer('everything', [EVERYTHING, 'stdio']);
    const dialog = formDialog(page, 'everything');

    const declined = run('trigger-elicitation-request');
    await dialog.getByLabel('String', { exact: true }).fill('Not sending this');
    await dialog.getByRole('button', { name: 'Decline' }).click();
    await dialog.waitFor({ state: 'detached' });
    const text = await declined;
    expect(text).toContain('User declined to provide the requested information.');
    expect(rawResult(text)).toEqual({ action: 'decline' });

    const dismissed = run('trigger-elicitation-request');
    let answered = false;
    void dismissed.then(() => (answered = true));
    await dismissWithEscape(page, dialog);
    // Escape answered nothing: the form still waits, in the Inbox, and the server still waits for it.
    await page.getByRole('link', { name: /^Inbox/ }).click();
    const row = page.locator('.inbox-item[data-kind="elicitation"]');
    await row.waitFor();
    expect(r.t.host.inbox.list().map((i) => i.kind)).toEqual(['elicitation']);
    expect(answered).toBe(false);
    await row.getByRole('button', { name: 'Open the request from everything' }).click();
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    expect(rawResult(await dismissed)).toEqual({ action: 'cancel' });
    expect(r.t.host.inbox.list()).toEqual([]);
    expect(r.errors).toEqual([]);
  });

  it('opens a page only when the user clicks, shows it as text and never loads it, then waits for the server', async () => {
    const { r, page, run } = await withServer('everything', [EVERYTHING, 'stdio']);
    const requested: string[] = [];
    page.on('request', (req) => requested.push(req.url()));
    const answer = run('trigger-url-elicitation', {
      url: 'https://example.com/connect',
      message: 'Connect your example.com account to continue.',
      elicitationId: 'connect-1',
    });

    const dialog = pageDialog(page, 'everything');
    await dialog.getByText('Connect your example.com account to continue.').waitFor();
    const address = dialog.getByTestId('elicitation-url');
    expect(await address.textContent()).toBe('https://example.com/connect');
    expect(await address.locator('mark').textContent()).toBe('example.com');
    // Plain text: no link, image or frame in the dialog, and nothing left the page for the address.
    expect(await dialog.locator('a, img, iframe, link, object, embed').count()).toBe(0);
    expect(await dialog.getByLabel('Address as sent').count()).toBe(0);
    await r.shot('elicitation-url');
    expect(r.t.opened).toEqual([]);

    await dialog.getByRole('button', { name: 'Open in browser' }).click();
    const waiting = waitingDialog(page, 'example.com');
    await waiting.getByText('Waiting for example.com — “everything” will say when you’re done.').waitFor();
    expect(r.t.opened).toEqual(['https://example.com/connect']);
    expect(rawResult(await answer)).toEqual({ action: 'accept' });
    expect(r.t.host.inbox.list().map((i) => i.kind === 'elicitation_url' && i.request.stage)).toEqual(['waiting']);

    await waiting.getByRole('button', { name: 'I’m done' }).click();
    await waiting.waitFor({ state: 'detached' });
    expect(r.t.host.inbox.list()).toEqual([]);
    expect(r.t.opened).toEqual(['https://example.com/connect']);
    expect(requested.filter((u) => u.includes('example.com'))).toEqual([]);
    expect(r.errors).toEqual([]);
  });

  it('will not open a plain-http address, and flags a look-alike international name', async () => {
    const { r, page, run } = await withServer('everything', [EVERYTHING, 'stdio']);
    const dialog = pageDialog(page, 'everything');

    const refused = run('trigger-url-elicitation', { url: 'http://example.com/login', message: 'Sign in here.' });
    await dialog.getByText('Steward won’t open this address.').waitFor();
    await dialog.getByText('Only https addresses are used (plain http only for this computer).').waitFor();
    expect(await dialog.getByRole('button', { name: 'Open in browser' }).isDisabled()).toBe(true);
    await dialog.getByRole('button', { name: 'Decline' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await refused).toContain('User declined to open the URL');

    // "pаypal.com" with a Cyrillic а: headed and shown as it is sent, never as the name it imitates.
    const lookalike = 'https://p\u0430ypal.com/login';
    const flagged = run('trigger-url-elicitation', { url: lookalike, message: 'Confirm your payment.' });
    await dialog.getByText('Check the address before you open it.').waitFor();
    await dialog.getByText(/mixes Latin and Cyrillic letters/).waitFor();
    expect(await dialog.getByTestId('elicitation-url').textContent()).toBe('https://xn--pypal-4ve.com/login');
    expect(await dialog.getByText(/opens on/).textContent()).toContain('xn--pypal-4ve.com');
    expect(await dialog.getByLabel('Address as sent').textContent()).toBe(lookalike);
    expect(await dialog.getByRole('button', { name: 'Open in browser' }).isEnabled()).toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await flagged).toContain('User cancelled the URL elicitation');
    expect(r.t.opened).toEqual([]);
    expect(r.errors).toEqual([]);
  });

  it('opens the page a tool call needs first (-32042), and tries the call again once it is done', async () => {
    const { r, page, run } = await withServer('everything', [EVERYTHING, 'stdio']);
    const answer = run('trigger-url-elicitation', { url: 'https://example.com/after', message: 'Finish on the page.', errorPath: true });

    const first = pageDialog(page, 'everything');
    await first.locator('.elicit-retry', { hasText: 'trigger-url-elicitation will be tried again once the page is done.' }).waitFor();
    expect(await first.getByTestId('elicitation-url').textContent()).toBe('https://modelcontextprotocol.io/');
    await first.getByRole('button', { name: 'Open in browser' }).click();
    const prerequisite = waitingDialog(page, 'modelcontextprotocol.io');
    await prerequisite.getByRole('button', { name: 'I’m done' }).click();
    expect(r.t.opened).toEqual(['https://modelcontextprotocol.io/']);

    // The retried call asks for its own page.
    const second = pageDialog(page, 'everything');
    await second.getByTestId('elicitation-url').getByText('https://example.com/after').waitFor();
    await second.getByRole('button', { name: 'Open in browser' }).click();
    expect(await answer).toContain('User completed the URL elicitation flow.');

    // Closing the waiting dialog keeps the page in the Inbox, where it opens again.
    const waiting = waitingDialog(page, 'example.com');
    await dismissWithEscape(page, waiting);
    await page.getByRole('link', { name: /Inbox/ }).click();
    const row = page.locator('.inbox-item[data-kind="elicitation_url"]');
    await row.getByText('Waiting for example.com').waitFor();
    await r.shot('inbox-elicitation');
    await row.getByRole('button', { name: 'Open the request from everything' }).click();
    await waiting.getByRole('button', { name: 'Dismiss' }).click();
    await page.getByRole('heading', { name: 'Nothing waiting for you' }).waitFor();
    expect(r.t.opened).toEqual(['https://modelcontextprotocol.io/', 'https://example.com/after']);
    expect(r.errors).toEqual([]);
  });

  it('warns about a secret-looking field and shows the host’s refusal of an answer the server’s schema rejects', async () => {
    const { r, page, run } = await withServer('pages', [join(FIXTURES, 'elicitation-server.mjs')]);
    const schema = {
      type: 'object',
      properties: { apiToken: { type: 'string', title: 'API token' }, handle: { type: 'string', title: 'Handle', pattern: '^[a-z]+$' } },
      required: ['handle'],
    };
    const answer = run('ask', { message: 'Link your account.', schema });

    const dialog = formDialog(page, 'pages');
    await dialog.getByText('Servers must not ask for passwords, tokens or keys in a form — don’t enter them here.').waitFor();
    expect(await dialog.locator('[data-field="apiToken"]').getByText('looks like a secret').count()).toBe(1);
    expect(await dialog.locator('[data-field="handle"]').getByText('looks like a secret').count()).toBe(0);
    // The form cannot read a pattern; the host checks the whole schema and says what is wrong.
    await dialog.getByLabel('Handle', { exact: true }).fill('Ada');
    await dialog.getByRole('button', { name: 'Submit' }).click();
    await dialog
      .getByRole('alert')
      .getByText(/^The answer does not match the server's form: /)
      .waitFor();
    expect(r.t.host.inbox.list().map((i) => i.kind)).toEqual(['elicitation']);

    await dialog.getByLabel('Handle', { exact: true }).fill('ada');
    await dialog.getByRole('button', { name: 'Submit' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(JSON.parse(await answer)).toEqual({ result: { action: 'accept', content: { handle: 'ada' } } });
    expect(r.errors).toEqual([]);
  });
});
