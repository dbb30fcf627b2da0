// Sampling end to end in the browser: approval, loop transcripts, denial, a reply written by hand, a withdrawn request,
// reply review, settings, audit export and a flood — the real renderer against the real host, real servers over stdio
// and the fake Messages API.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { dismissWithEscape, openSamplingRig, type BrowserRig, type PageElement } from '../helpers/browser.js';
import { addApproved, tempDir } from '../helpers/host.js';
import { EXAMPLES_DIST, NODE } from '../helpers/paths.js';
import { samplingServer, textRequest } from '../helpers/sampling.js';
import type { FakeAnthropic } from '../fixtures/fake-anthropic.mjs';
import { textOf } from '../helpers/results.js';
import { allAudit } from '../helpers/audit.js';

type Rig = BrowserRig & { api: FakeAnthropic };
let rig: Rig | undefined;
const folders: string[] = [];
afterEach(async () => {
  await rig?.close();
  rig = undefined;
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const samplingDialog = (page: Page, server: string) => page.getByRole('dialog', { name: `“${server}” asks to use your model` });
const reviewDialog = (page: Page, server: string) => page.getByRole('dialog', { name: `Send this reply to “${server}”?` });
/** The servers list is on screen once the app has read the host's state, inbox included. */
const serverRow = (page: Page, name: string) => page.locator(`tbody[data-server="${name}"]`);
const messageCalls = (r: Rig) => r.api.requests.filter((q) => q.path === '/v1/messages').map((q) => q.body as { max_tokens: number });

/** Folder Guide sharing a small folder; the fake model asks for two tools at once, then one, then answers. */
async function folderGuide(r: Rig): Promise<string> {
  const shared = tempDir('steward-e2e-guide-');
  folders.push(shared);
  mkdirSync(join(shared, 'notes'));
  writeFileSync(join(shared, 'notes', 'plan.md'), '# Plan\nShip the consent dialog first.\nThen the sandbox.\n');
  writeFileSync(join(shared, 'README.md'), 'A small project.\n');
  const { view, approve } = await addApproved(r.t.host, 'guide', NODE, [join(EXAMPLES_DIST, 'folder-guide', 'server.js')], { cwd: EXAMPLES_DIST });
  await r.t.host.servers.setRoots(view.id, [{ path: shared }]);
  await approve();
  r.api.script([
    {
      toolUses: [
        { name: 'list_files', input: {} },
        { name: 'search', input: { query: 'sandbox' } },
      ],
    },
    { toolUses: [{ name: 'read_file', input: { path: 'notes/plan.md' } }] },
    { text: 'First the consent dialog, then the sandbox (notes/plan.md).' },
  ]);
  await serverRow(r.page, 'guide').waitFor();
  return view.id;
}

async function sampler(r: Rig) {
  const server = await samplingServer(r, 'sampler');
  await serverRow(r.page, 'sampler').waitFor();
  const sample = (params: Record<string, unknown>) =>
    r.t.host.tools
      .call({ serverId: server.id, name: 'sample', arguments: { params } })
      .then((res) => JSON.parse(textOf(res)) as { result?: Record<string, unknown>; error?: { message: string } });
  return { id: server.id, sample };
}

describe('sampling in the browser', () => {
  it('approves an agent loop once for the whole loop, with an edit, and shows its transcript', async () => {
    rig = await openSamplingRig();
    const { page } = rig;
    await folderGuide(rig);

    await page.getByRole('link', { name: 'guide', exact: true }).click();
    await page
      .getByRole('list', { name: 'Tools' })
      .locator('.pick-name', { hasText: /^ask_about_folder$/ })
      .click();
    await page.getByLabel('Arguments (JSON)').fill('{"question": "What comes first?"}');
    await page.getByRole('button', { name: 'Call', exact: true }).click();

    const dialog = samplingDialog(page, 'guide');
    await dialog.waitFor();
    const described = await page.locator('[data-dialog="sampling"] .modal-description').textContent();
    expect(described).toContain('ask_about_folder');
    expect(described).toContain('round 1 of its loop');
    await dialog.getByText('Your policy for this server is to ask every time.').waitFor();
    expect(await dialog.getByRole('list', { name: 'Tools offered to the model' }).locator('.tool-offered-name').allTextContents()).toEqual([
      'list_files',
      'read_file',
      'search',
    ]);
    expect(await dialog.getByTestId('sampling-model').textContent()).toBe('claude-sonnet-5-5');
    expect(await dialog.getByLabel('System prompt').inputValue()).toContain('You answer questions about the user');
    expect(await dialog.getByLabel('Last user message (editable)').inputValue()).toBe('What comes first?');
    await dialog.getByText(/^up to \$\d+\.\d{4}$/).waitFor();
    await dialog.getByLabel('Max tokens').fill('1500');
    await rig.shot('sampling-approval');
    await dialog.getByText('Input schema').first().click();
    expect(JSON.parse((await dialog.getByLabel('Input schema of list_files').textContent())!)).toMatchObject({
      type: 'object',
      properties: { path: { type: 'string' } },
    });

    await dialog.getByRole('button', { name: 'Allow for this loop' }).click();
    await dialog.waitFor({ state: 'detached' });
    const result = page.getByRole('region', { name: 'Call result' });
    await result.getByText(/First the consent dialog, then the sandbox/).waitFor();
    await result.getByText(/3 round\(s\), 3 tool call\(s\)/).waitFor();
    // Only the first round asked; the edit reached the model and the later rounds kept the server's own limit.
    expect(messageCalls(rig).map((b) => b.max_tokens)).toEqual([1500, 2000, 2000]);
    expect(rig.t.host.inbox.list()).toEqual([]);
    expect(await samplingDialog(page, 'guide').count()).toBe(0);

    await page.getByRole('link', { name: /Loops/ }).click();
    const row = page.locator('.loops-table tbody tr');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator('.col-rounds').textContent()).toBe('3');
    await page.getByRole('link', { name: 'ask_about_folder' }).click();

    const rounds = page.getByRole('list', { name: 'Rounds' }).locator('.round');
    await expect.poll(() => rounds.count()).toBe(3);
    const [loop] = rig.t.host.sampling.listLoops(null, null, 10);
    const entries = rig.t.host.sampling.loop(loop!.id)!.entries!;
    for (const [i, entry] of entries.entries()) {
      const card = rounds.nth(i);
      expect(await card.getAttribute('data-status')).toBe('replied');
      expect(entry.inputTokens).toBeGreaterThan(0);
      await card
        .locator('.round-facts')
        .getByText(`${entry.inputTokens.toLocaleString('en-US')} in · ${entry.outputTokens.toLocaleString('en-US')} out`)
        .waitFor();
    }
    const decidedBy = (i: number) => rounds.nth(i).locator('.round-facts div', { hasText: 'Decided by' }).locator('dd').textContent();
    expect(await decidedBy(0)).toBe('you');
    expect(await decidedBy(1)).toBe('your approval for this loop');
    expect(await decidedBy(2)).toBe('your approval for this loop');
    const firstReply = rounds.nth(0).getByRole('region', { name: 'Round 1: reply' });
    expect(await firstReply.locator('[data-block="tool_use"] .block-tool-name').allTextContents()).toEqual(['list_files', 'search']);
    const secondSent = rounds.nth(1).getByRole('region', { name: 'Round 2: sent by the server' });
    expect(await secondSent.locator('[data-block="tool_result"] .block-tool-name').allTextContents()).toEqual(['list_files', 'search']);
    await secondSent.getByText(/plan\.md:3: Then the sandbox\./).waitFor();
    await rounds.nth(2).getByText('First the consent dialog, then the sandbox (notes/plan.md).').waitFor();
    await rig.shot('loop-transcript');
    expect(rig.errors).toEqual([]);
  });

  it('follows a running loop live in its transcript, and answers a waiting round from there', async () => {
    rig = await openSamplingRig();
    const { page } = rig;
    const id = await folderGuide(rig);
    const answer = rig.t.host.tools.call({ serverId: id, name: 'ask_about_folder', arguments: { question: 'What comes first?' } });

    const dialog = samplingDialog(page, 'guide');
    await dismissWithEscape(page, dialog);
    await page.getByRole('link', { name: /Loops/ }).click();
    const row = page.locator('.loops-table tbody tr');
    await row.locator('.col-rounds', { hasText: /^1$/ }).waitFor();
    await row.locator('[data-status="active"]').waitFor();
    await rig.shot('loops');
    await page.getByRole('link', { name: 'ask_about_folder' }).click();

    // CSS, not roles: while a dialog is open the page behind it is hidden from the accessibility tree.
    const rounds = page.locator('.rounds > .round');
    await page.locator('.round[data-status="waiting"]').waitFor();
    expect(await rounds.count()).toBe(1);
    await rounds.nth(0).getByRole('button', { name: 'Open the request' }).click();
    await dialog.getByRole('button', { name: 'Send once' }).click();
    // Round 2 arrives while no dialog is open, so it opens by itself; the transcript shows it waiting behind.
    await dialog.locator('.modal-description', { hasText: 'round 2 of its loop' }).waitFor();
    await expect.poll(() => rounds.count()).toBe(2);
    expect(await rounds.nth(0).getAttribute('data-status')).toBe('replied');
    expect(await rounds.nth(1).getAttribute('data-status')).toBe('waiting');
    await dialog.getByRole('button', { name: 'Allow for this loop' }).click();
    await dialog.waitFor({ state: 'detached' });

    await expect
      .poll(() => rounds.evaluateAll((cards: PageElement[]) => cards.map((c) => c.getAttribute('data-status'))))
      .toEqual(['replied', 'replied', 'replied']);
    expect(textOf(await answer)).toContain('3 round(s), 3 tool call(s)');
    await page.getByRole('link', { name: 'Loops', exact: true }).first().click();
    await row.locator('.col-rounds', { hasText: /^3$/ }).waitFor();
    expect(rig.errors).toEqual([]);
  });

  it('sends the server the rejection when the user denies', async () => {
    rig = await openSamplingRig();
    const id = await folderGuide(rig);
    const answer = rig.t.host.tools.call({ serverId: id, name: 'ask_about_folder', arguments: { question: 'What comes first?' } });

    const dialog = samplingDialog(rig.page, 'guide');
    await dialog.getByRole('button', { name: 'Deny' }).click();
    await dialog.waitFor({ state: 'detached' });
    const result = await answer;
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('User rejected sampling request');
    expect(messageCalls(rig)).toEqual([]);
    expect(rig.errors).toEqual([]);
  });

  it('lets the user write the reply when no model key is set', async () => {
    rig = await openSamplingRig({ key: false });
    const { sample } = await sampler(rig);
    const answer = sample(textRequest('Name a colour.'));

    const dialog = samplingDialog(rig.page, 'sampler');
    await dialog.getByText('No model key is set').waitFor();
    const send = dialog.getByRole('button', { name: 'Send my reply' });
    expect(await send.isDisabled()).toBe(true);
    expect(await dialog.getByRole('button', { name: 'Allow for this loop' }).count()).toBe(0);
    await dialog.getByLabel('Write the reply yourself').fill('Teal.');
    await rig.shot('sampling-no-key');
    await send.click();
    await dialog.waitFor({ state: 'detached' });
    expect((await answer).result).toMatchObject({ role: 'assistant', model: 'written-by-user', content: { type: 'text', text: 'Teal.' } });
    expect(messageCalls(rig)).toEqual([]);
    expect(rig.errors).toEqual([]);
  });

  it('marks a budget reason, and says so when the server withdraws the request while its dialog is open', async () => {
    rig = await openSamplingRig();
    const { id, sample } = await sampler(rig);
    rig.t.host.sampling.setPolicy(id, 'sampler', { mode: 'allow', budgets: { maxTokensPerRequest: 100 } });
    const answer = sample(textRequest('Still there?')).catch((error: unknown) => error);

    const dialog = samplingDialog(rig.page, 'sampler');
    expect(await dialog.getByLabel('Last user message (editable)').inputValue()).toBe('Still there?');
    const reasons = dialog.getByRole('region', { name: 'Why Steward is asking' });
    expect(await reasons.getAttribute('class')).toContain('ask-reasons-budget');
    expect(await reasons.locator('li[data-budget="true"]').textContent()).toBe('Over budget: It asks for up to 200 tokens; the limit per request is 100.');
    await rig.t.host.servers.stop(id);
    await dialog.getByText('This request is no longer waiting').waitFor();
    expect(await dialog.getByRole('button', { name: 'Send once' }).count()).toBe(0);
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
    await dialog.waitFor({ state: 'detached' });
    await answer;
    expect(messageCalls(rig)).toEqual([]);
    expect(rig.errors).toEqual([]);
  });

  it('holds the model’s reply for review and sends it when the user says so', async () => {
    rig = await openSamplingRig();
    const { id, sample } = await sampler(rig);
    rig.t.host.sampling.setPolicy(id, 'sampler', { mode: 'allow', reviewReplies: true });
    rig.api.script([{ text: 'A reviewed answer.' }]);
    const answer = sample(textRequest('Say something I can check.'));

    const dialog = reviewDialog(rig.page, 'sampler');
    await dialog.getByRole('region', { name: 'The model’s reply' }).getByText('A reviewed answer.').waitFor();
    const text = await dialog.textContent();
    expect(text).toContain('claude-sonnet-5-5');
    expect(text).toMatch(/\d+ in · \d+ out/);
    await rig.shot('sampling-review');
    await dialog.getByRole('button', { name: 'Send to server' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await answer).result).toMatchObject({ content: { type: 'text', text: 'A reviewed answer.' } });
    expect(rig.errors).toEqual([]);
  });

  it('sets the key without ever showing it, the default model and a server’s policy', async () => {
    rig = await openSamplingRig({ key: false });
    const { page } = rig;
    const notes = await rig.t.host.servers.add({ name: 'notes', config: { transport: 'http', url: 'http://127.0.0.1:9/mcp', headers: {} } });
    await page.getByRole('link', { name: /Settings/ }).click();
    const keyState = page.getByTestId('key-state');
    await keyState.getByText(/^No key/).waitFor();

    const key = `sk-ant-e2e-${randomBytes(16).toString('hex')}`;
    const keyInput = page.getByLabel('API key', { exact: true });
    await keyInput.fill(key);
    await page.getByRole('button', { name: 'Save key' }).click();
    await keyState.getByText(/^A key is set\./).waitFor();
    expect(await keyInput.inputValue()).toBe('');
    expect((await rig.t.host.models.get()).hasKey).toBe(true);
    expect(await rig.t.host.models.apiKey()).toBe(key);
    expect(await page.content()).not.toContain(key);

    await page.getByLabel('Default model').selectOption('claude-haiku-5-5');
    await page.getByRole('button', { name: 'Save model settings' }).click();
    await expect.poll(async () => (await rig!.t.host.models.get()).defaultModel).toBe('claude-haiku-5-5');

    const policy = page.getByRole('form', { name: 'Sampling policy' });
    expect(await page.getByLabel('Server', { exact: true }).inputValue()).toBe(notes.id);
    await policy.getByLabel('Allow within budget').check();
    await policy.getByLabel('Tokens per day').fill('50000');
    await policy.getByLabel('Review each reply before it goes back to the server').check();
    await policy.getByRole('button', { name: 'Save policy' }).click();
    await policy.getByRole('status').getByText('Saved.').waitFor();
    expect(rig.t.host.sampling.policy(notes.id)).toMatchObject({
      mode: 'allow',
      reviewReplies: true,
      budgets: { tokensPerDay: 50_000, maxTokensPerRequest: 16_000 },
    });
    await page.locator('.screen-body').evaluate((el: PageElement) => el.scrollTo(0, el.scrollHeight));
    await rig.shot('settings-policy');
    await page.locator('.screen-body').evaluate((el: PageElement) => el.scrollTo(0, 0));
    await rig.shot('settings');
    expect(await page.content()).not.toContain(key);
    expect(rig.errors).toEqual([]);
  });

  it('lists sampling in the audit screen and exports it as JSON lines', async () => {
    rig = await openSamplingRig();
    const { page } = rig;
    const { id, sample } = await sampler(rig);
    rig.t.host.sampling.setPolicy(id, 'sampler', { mode: 'allow' });
    rig.api.script([{ text: 'Logged.' }]);
    expect((await sample(textRequest('Log this.'))).result).toMatchObject({ content: { text: 'Logged.' } });

    await page.getByRole('link', { name: /Audit/ }).click();
    const table = page.locator('.audit-table');
    await table.locator('tr[data-kind="sampling.replied"]').waitFor();
    await table.locator('tr[data-kind="sampling.approved"]').waitFor();
    await table.locator('tr[data-kind="sampling.policy"]').waitFor();
    expect(await table.locator('tr[data-kind="sampling.replied"]').getByRole('link', { name: 'View loop' }).count()).toBe(1);
    await rig.shot('audit-sampling');

    const exportAll = async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export (JSON lines)' }).click()]);
      expect(download.suggestedFilename()).toMatch(/\.jsonl$/);
      const text = readFileSync(await download.path(), 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      return text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as { kind: string; serverName: string | null });
    };
    const all = await exportAll();
    expect(all).toHaveLength(allAudit(rig.t.host.audit).length);
    expect(all.map((e) => e.kind)).toEqual(expect.arrayContaining(['sampling.policy', 'sampling.approved', 'sampling.replied']));

    await page.getByLabel('Kind').selectOption('sampling.replied');
    await expect
      .poll(() => table.locator('tbody tr').evaluateAll((rows: PageElement[]) => rows.map((r) => r.getAttribute('data-kind'))))
      .toEqual(['sampling.replied']);
    const replied = await exportAll();
    expect(replied.map((e) => [e.kind, e.serverName])).toEqual([['sampling.replied', 'sampler']]);
    await page.getByRole('status').getByText('Exported 1 entry matching these filters.').waitFor();
    expect(rig.errors).toEqual([]);
  });

  it('stays usable under a flood: at most five requests wait, the rest are refused', async () => {
    rig = await openSamplingRig();
    const { page } = rig;
    const server = await samplingServer(rig, 'flooder');
    await serverRow(page, 'flooder').waitFor();
    // Answered only once the waiting requests are; the rig's close stops the server.
    void rig.t.host.tools.call({ serverId: server.id, name: 'flood', arguments: { count: 25, params: textRequest('Hi') } }).catch(() => undefined);

    await expect.poll(() => allAudit(rig!.t.host.audit, { kind: 'sampling.denied' }).length).toBe(20);
    expect(rig.t.host.inbox.list()).toHaveLength(5);
    const dialog = samplingDialog(page, 'flooder');
    // Every request has reached the window before Escape: one arriving later would rightly open a dialog of its own.
    // (Read from the markup: with a dialog open, the rest of the page is hidden from the accessibility tree.)
    await page.locator('.nav-link[href$="inbox"] .nav-badge', { hasText: /^5$/ }).waitFor();
    await dismissWithEscape(page, dialog);
    await page.getByRole('link', { name: /Inbox/ }).getByText('5').waitFor();

    await page.getByRole('link', { name: /Inbox/ }).click();
    const items = page.locator('.inbox-item[data-kind="sampling"]');
    await expect.poll(() => items.count()).toBe(5);
    await rig.shot('inbox-sampling');
    // Closing without an answer stops the dialogs that were queued behind it.
    expect(await samplingDialog(page, 'flooder').count()).toBe(0);

    // Every request came during the one flood call, so they are rounds of one loop.
    await page.getByRole('link', { name: /Loops/ }).click();
    await expect.poll(() => page.locator('.loops-table tbody tr').count()).toBe(1);
    await page.getByRole('link', { name: /Servers/ }).click();
    await serverRow(page, 'flooder').waitFor();
    await page.getByRole('link', { name: /Inbox/ }).click();
    await items.first().getByRole('button', { name: 'Open the request from flooder' }).click();
    await dialog.getByRole('button', { name: 'Deny' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => items.count()).toBe(4);
    expect(rig.errors).toEqual([]);
  });
});
