// The Tools area in the browser against real servers over stdio: a form drawn from the input schema (nested objects,
// lists, titled choices) kept in sync with its JSON, hints shown as the server's, a destructive tool confirmed first,
// results by content type (markdown, image, audio, embedded resource, structured content against the output schema),
// the call history filling the form again, the result still there after leaving, and tool search across servers.
// Hostile input tried: markdown with raw HTML (no element made), a remote image (never requested), a link (opened
// only after a confirm that shows its address, through the URL gate), JSON typed into the box that does not read.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { dismissWithEscape, openRig, type BrowserRig } from '../helpers/browser.js';
import { addApproved } from '../helpers/host.js';
import { EVERYTHING, FIXTURES, NODE } from '../helpers/paths.js';

let rig: BrowserRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function addRunning(r: BrowserRig, name: string, args: string[]): Promise<string> {
  const { view, approve } = await addApproved(r.t.host, name, NODE, args);
  const started = await approve();
  expect(started.status, JSON.stringify(started.lastError)).toBe('running');
  return view.id;
}

const json = async (page: Page) => JSON.parse(await page.getByLabel('Arguments (JSON)').inputValue()) as unknown;
const result = (page: Page) => page.getByRole('region', { name: 'Call result' });

describe('the Tools area in the browser', () => {
  it('fills a nested form in sync with its JSON, renders markdown safely, keeps history and the result, confirms a destructive tool, plays audio and searches', async () => {
    rig = await openRig();
    const r = rig;
    const page = r.page;
    const serverId = await addRunning(r, 'shapes', [join(FIXTURES, 'shapes-server.mjs')]);
    const requested: string[] = [];
    page.on('request', (req) => requested.push(req.url()));

    // The address opens on one tool.
    await page.goto(`${r.web.url}#/servers/${serverId}/tools/plan_trip`);
    await page.getByRole('heading', { name: 'plan_trip' }).waitFor();
    const hints = page.getByRole('list', { name: 'Hints from the server' });
    expect(await hints.locator('li').allInnerTexts()).toEqual(['read-only', 'closed world']);

    // Nothing goes while required fields are empty; each says so.
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    await page.getByText(/The form has \d+ problems to fix before the call\./).waitFor();
    const traveller = page.getByRole('group', { name: 'Traveller' });
    await traveller.getByText('Required.').waitFor();

    await traveller.getByLabel('name', { exact: true }).fill('Ada');
    await traveller.getByLabel('email', { exact: true }).fill('not an email');
    await page.getByRole('button', { name: 'Add to stops' }).click();
    await page.getByRole('group', { name: 'stops 1' }).getByLabel('city', { exact: true }).fill('Lyon');
    await page.getByRole('radiogroup', { name: 'Travel by' }).getByLabel('Train').check();
    expect(await json(page)).toEqual({ traveller: { name: 'Ada', email: 'not an email' }, stops: [{ nights: 1, city: 'Lyon' }], mode: 'rail' });
    await traveller.getByText('Enter an email address.').waitFor();
    await traveller.getByLabel('email', { exact: true }).fill('');

    // The JSON box edits the form: a second stop appears with its city; JSON that does not read leaves the form alone.
    const box = page.getByLabel('Arguments (JSON)');
    await box.fill(JSON.stringify({ traveller: { name: 'Ada' }, stops: [{ city: 'Lyon', nights: 2 }, { city: 'Paris' }], mode: 'rail' }));
    await expect.poll(() => page.getByRole('group', { name: 'stops 2' }).getByLabel('city', { exact: true }).inputValue()).toBe('Paris');
    expect(await page.getByRole('group', { name: 'stops 1' }).getByLabel('nights', { exact: true }).inputValue()).toBe('2');
    await box.fill('{"traveller": ');
    await page.getByText(/The arguments are not valid JSON/).waitFor();
    expect(await page.getByRole('group', { name: 'stops 2' }).getByLabel('city', { exact: true }).inputValue()).toBe('Paris');
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    expect(await result(page).count()).toBe(0);
    await box.fill(JSON.stringify({ traveller: { name: 'Ada' }, stops: [{ city: 'Lyon', nights: 2 }, { city: 'Paris' }], mode: 'rail' }));
    await r.shot('tools-form');

    await page.getByRole('button', { name: 'Call', exact: true }).click();
    await result(page).getByRole('heading', { name: 'Trip for Ada' }).waitFor();
    await result(page).getByRole('cell', { name: 'Paris' }).waitFor();
    expect(await page.locator('#injected-html, #bold-html').count()).toBe(0);
    await result(page)
      .getByRole('img', { name: /Image not loaded: a tracking pixel/ })
      .waitFor();
    expect(requested.filter((u) => u.includes('pixel.png'))).toEqual([]);
    // The raw text is one click away.
    await result(page).getByRole('button', { name: 'Plain text' }).click();
    await result(page).getByText('<b id="bold-html">raw</b>', { exact: false }).waitFor();
    await result(page).getByRole('button', { name: 'Plain text' }).click();
    await r.shot('tools-markdown');

    // A link opens only after the user has seen its address, and then through the host.
    await result(page).getByRole('button', { name: 'the rail map' }).click();
    const open = page.getByRole('dialog', { name: 'Open this address in your browser?' });
    await open.getByText('https://example.com/rail-map').waitFor();
    await open.getByRole('button', { name: 'Open in browser' }).click();
    await open.waitFor({ state: 'detached' });
    expect(r.t.opened).toEqual(['https://example.com/rail-map']);

    // Leaving the tab and coming back: the result and the arguments are still there.
    await page.goto(`${r.web.url}#/servers/${serverId}/settings`);
    await page.goto(`${r.web.url}#/servers/${serverId}/tools/plan_trip`);
    await result(page).getByRole('heading', { name: 'Trip for Ada' }).waitFor();

    // History: the call is kept; "Fill the form" brings its arguments back after the form changed.
    const history = page.getByRole('region', { name: 'Call history' });
    await history.getByText(/ok · \d+(\.\d)? (ms|s)/).waitFor();
    await page.getByRole('group', { name: 'Traveller' }).getByLabel('name', { exact: true }).fill('Bob');
    await history.getByRole('button', { name: 'Fill the form' }).first().click();
    expect(await page.getByRole('group', { name: 'Traveller' }).getByLabel('name', { exact: true }).inputValue()).toBe('Ada');
    expect(await json(page)).toEqual({ traveller: { name: 'Ada' }, stops: [{ city: 'Lyon', nights: 2 }, { city: 'Paris' }], mode: 'rail' });
    const stored = await r.t.host.dispatch('tools:history', { serverId, tool: 'plan_trip' });
    expect(stored).toMatchObject({ ok: true, data: [{ tool: 'plan_trip', asTask: false, error: null, arguments: { traveller: { name: 'Ada' } } }] });
    await r.shot('tools-history');

    // A destructive tool asks first; Escape leaves it uncalled (nothing in its history).
    await page
      .getByRole('list', { name: 'Tools' })
      .getByRole('button', { name: /^erase_everything/ })
      .click();
    await hints.getByText('destructive', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    const confirm = page.getByRole('dialog', { name: 'Call “erase_everything”?' });
    await dismissWithEscape(page, confirm);
    await history.getByText('No calls of this tool yet.').waitFor();
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    await confirm.getByRole('button', { name: 'Call it' }).click();
    await result(page).getByText('Erased every record.').waitFor();

    // Audio plays from its bytes.
    await page
      .getByRole('list', { name: 'Tools' })
      .getByRole('button', { name: /^speak/ })
      .click();
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    await result(page).locator('audio[src^="data:audio/wav;base64,"]').waitFor();

    // Search across the running servers opens the tool found.
    await page.goto(`${r.web.url}#/tools`);
    await page.getByLabel('Search tools').fill('trip trav');
    await page.getByRole('status').getByText('1 found').waitFor();
    await r.shot('tools-search');
    await page
      .getByRole('list', { name: 'Tools of shapes' })
      .getByRole('button', { name: /plan_trip/ })
      .click();
    await page.getByRole('heading', { name: 'plan_trip' }).waitFor();
    expect(page.url()).toContain(`/servers/${serverId}/tools/plan_trip`);
    expect(r.errors).toEqual([]);
  });

  it('draws each result type of server-everything and checks structured content against the output schema', async () => {
    rig = await openRig();
    const r = rig;
    const page = r.page;
    const serverId = await addRunning(r, 'everything', [EVERYTHING, 'stdio']);
    const pick = (name: RegExp) => page.getByRole('list', { name: 'Tools' }).getByRole('button', { name }).click();
    await page.goto(`${r.web.url}#/servers/${serverId}/tools`);

    await pick(/^get-structured-content/);
    await page.getByRole('radiogroup', { name: 'location' }).getByLabel('Chicago').check();
    expect(await json(page)).toEqual({ location: 'Chicago' });
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    await result(page).getByText('matches the tool’s output schema').waitFor();

    await pick(/^get-annotated-message/);
    await page.getByRole('radiogroup', { name: 'messageType' }).getByLabel('success').check();
    await page.getByLabel('includeImage').check();
    expect(await json(page)).toEqual({ messageType: 'success', includeImage: true });
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    await result(page)
      .getByRole('img', { name: /Image \(image\/png\) from the server/ })
      .waitFor();

    await pick(/^get-resource-reference/);
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    await result(page).getByText('Embedded resource', { exact: false }).waitFor();
    await r.shot('tools-everything');

    // The sum tool's numbers: a value that is not a number is named, and nothing is sent.
    await pick(/^get-sum/);
    await page.getByLabel('a', { exact: true }).fill('2');
    await page.getByLabel('b', { exact: true }).fill('3');
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    await result(page).getByText(/5/).first().waitFor();
    expect(r.errors).toEqual([]);
  });
});
