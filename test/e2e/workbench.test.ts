// The workbench in the browser against real servers over stdio: a prompt filled with the server's suggestions, a
// resource read and followed live, a template filled in, lists paged with "Load more", a resource link opened in
// Resources; axe-core finds nothing serious on these screens. Screenshots under test-results/screens/.
// Hostile input tried: prompt arguments with markup (shown as text, no element made), a URI with "/" and "#" typed
// into a template parameter (encoded, so it stays one parameter).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
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

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Serious and critical axe-core violations on the page as it is, by rule and target. */
async function axeProblems(page: Page): Promise<string[]> {
  // Evaluated rather than added as a script tag: the app's content security policy refuses inline scripts.
  await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run: (c: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }
    ).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document);
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  return found;
}

async function withServer(name: string, args: string[]) {
  rig = await openRig();
  const { view, approve } = await addApproved(rig.t.host, name, NODE, args);
  const started = await approve();
  expect(started.status, JSON.stringify(started.lastError)).toBe('running');
  await rig.page.locator(`tbody[data-server="${name}"] [data-status="running"]`).waitFor();
  return { r: rig, page: rig.page, serverId: view.id };
}

const suggestions = (page: Page, name: string) => page.getByTestId(`suggestions-${name}`).locator('option');

describe('the workbench in the browser', () => {
  it('fills a prompt with the server’s suggestions and shows its messages as text', async () => {
    const { r, page, serverId } = await withServer('everything', [EVERYTHING, 'stdio']);
    await page.goto(`${r.web.url}#/servers/${serverId}/prompts`);
    await page.getByRole('button', { name: /completable-prompt/ }).click();

    const department = page.getByLabel('department (required)', { exact: true });
    await department.fill('E');
    await expect
      .poll(() => suggestions(page, 'department').evaluateAll((os: PageElement[]) => os.map((o) => o.getAttribute('value'))))
      .toEqual(['Engineering']);
    await department.fill('Engineering');
    // The second argument's suggestions follow the first.
    await page.getByLabel('name (required)', { exact: true }).fill('');
    await expect
      .poll(() => suggestions(page, 'name').evaluateAll((os: PageElement[]) => os.map((o) => o.getAttribute('value'))))
      .toEqual(['Alice', 'Bob', 'Charlie']);
    await page.getByLabel('name (required)', { exact: true }).fill('Alice');
    await page.getByRole('button', { name: 'Get prompt' }).click();
    await page.getByText('Please promote Alice to the head of the Engineering team.').waitFor();
    await r.shot('workbench-prompt');
    expect(await axeProblems(page)).toEqual([]);

    // A required argument left empty is named; markup in an argument comes back as text.
    await page.getByRole('button', { name: /args-prompt/ }).click();
    await page.getByRole('button', { name: 'Get prompt' }).click();
    await page.getByText('This argument is required.').waitFor();
    await page.getByLabel('city (required)', { exact: true }).fill('<img src=x id=injected>');
    await page.getByRole('button', { name: 'Get prompt' }).click();
    await page.getByText('<img src=x id=injected>', { exact: false }).first().waitFor();
    expect(await page.locator('#injected').count()).toBe(0);
    expect(r.errors).toEqual([]);
  });

  it('reads a resource, follows its updates live, fills a template and opens a linked resource', async () => {
    const { r, page, serverId } = await withServer('everything', [EVERYTHING, 'stdio']);
    await page.goto(`${r.web.url}#/servers/${serverId}/resources`);
    await page
      .getByRole('list', { name: 'Resources' })
      .getByRole('button', { name: /architecture\.md/ })
      .click();
    await page.locator('.resource-text').first().waitFor();

    await page.getByRole('button', { name: 'Follow updates' }).click();
    await page.getByRole('button', { name: 'Stop following' }).waitFor();
    await r.t.host.runTool({ serverId, name: 'toggle-subscriber-updates', arguments: {} });
    await page.getByText(/Following: [1-9]\d* update/).waitFor({ timeout: 30_000 });
    await r.shot('workbench-resource');
    expect(await axeProblems(page)).toEqual([]);

    await page
      .getByRole('list', { name: 'Resource templates' })
      .getByRole('button', { name: /dynamic\/text/ })
      .click();
    const id = page.getByLabel('resourceId', { exact: true });
    await id.fill('7');
    await expect.poll(() => suggestions(page, 'resourceId').evaluateAll((os: PageElement[]) => os.map((o) => o.getAttribute('value')))).toEqual(['7']);
    await id.fill('7/../x#y');
    await page.getByText('demo://resource/dynamic/text/7%2F..%2Fx%23y').waitFor();
    await id.fill('7');
    await r.shot('workbench-template');
    await page.getByRole('button', { name: 'Read', exact: true }).click();
    await page.getByText(/Resource 7: This is a plaintext resource/).waitFor();

    // A tool's resource link opens the resource in this tab.
    await page.goto(`${r.web.url}#/servers/${serverId}/tools`);
    await page.getByRole('button', { name: /get-resource-links/ }).click();
    await page.getByLabel('Arguments (JSON)').fill('{"count": 1}');
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    await page
      .getByRole('button', { name: /^Open .* in Resources$/ })
      .first()
      .click();
    await page.getByRole('heading', { name: /demo:\/\/resource\// }).waitFor();
    expect(page.url()).toContain('/resources/');
    expect(r.errors).toEqual([]);
  });

  it('pages through a long list with Load more and reads a binary resource', async () => {
    const { r, page, serverId } = await withServer('paging', [join(FIXTURES, 'paging-server.mjs')]);
    await page.goto(`${r.web.url}#/servers/${serverId}/resources`);
    const list = page.getByRole('list', { name: 'Resources' });
    await list.getByRole('button', { name: /^r9/ }).waitFor();
    expect(await list.getByRole('button', { name: /^r\d+/ }).count()).toBe(10);
    await list.getByRole('button', { name: 'Load more' }).click();
    await list.getByRole('button', { name: /^r19/ }).waitFor();
    await list.getByRole('button', { name: 'Load more' }).click();
    await list.getByRole('button', { name: /^r22/ }).waitFor();
    expect(await list.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    expect(await list.getByRole('button', { name: /^r\d+/ }).count()).toBe(23);

    await list.getByRole('button', { name: /^r3/ }).click();
    await page.getByText('4 bytes.').waitFor();
    await page.getByRole('button', { name: 'Save' }).waitFor();
    await r.shot('workbench-paging');

    // A tool that says it is destructive shows so, and asks before it is called; Escape answers nothing.
    await page.goto(`${r.web.url}#/servers/${serverId}/tools`);
    await page.getByRole('button', { name: /^wipe/ }).click();
    await page.getByRole('list', { name: 'Hints from the server' }).getByText('destructive').waitFor();
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    const confirm = page.getByRole('dialog', { name: 'Call “wipe”?' });
    await dismissWithEscape(page, confirm);
    await r.shot('workbench-after-escape');
    expect(await page.getByRole('region', { name: 'Call result' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    await confirm.getByRole('button', { name: 'Call it' }).click();
    await page.getByRole('region', { name: 'Call result' }).getByText('wiped').waitFor();

    // The wire: every message, filtered by method, each answer paired with its request.
    await page.goto(`${r.web.url}#/servers/${serverId}/wire`);
    await page.getByLabel('Method').fill('resources/list');
    const rows = page.getByRole('list', { name: 'JSON-RPC messages' }).locator('li');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(6);
    const kinds = await rows.evaluateAll((els: PageElement[]) => els.map((el) => `${el.getAttribute('data-direction')} ${el.getAttribute('data-kind')}`));
    expect(new Set(kinds)).toEqual(new Set(['out request', 'in response']));
    expect(kinds.filter((k) => k === 'out request').length).toBe(kinds.filter((k) => k === 'in response').length);
    await page
      .getByText(/\d+(\.\d+)? ms/)
      .first()
      .waitFor();
    await r.shot('workbench-wire');
    expect(await axeProblems(page)).toEqual([]);
  });
});
