// What the record looks like on screen, in the real renderer against the real host: task rows whose status word and
// colour match (cancelled is no error; a task Steward lost track of says so), a history that tells the server's reports
// from local events, a tool result that is still there after leaving the Tools tab, a page dialog that shows the
// completion the server sent, and sampling dialogs that offer only what can settle an over-budget request, keep edits
// for the loop, and let a reviewer change a reply — with the round's steps in its transcript.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { openRig, openSamplingRig, type BrowserRig, type PageElement } from '../helpers/browser.js';
import { addApproved } from '../helpers/host.js';
import { FIXTURES, NODE } from '../helpers/paths.js';
import { samplingServer, textRequest } from '../helpers/sampling.js';
import type { FakeAnthropic } from '../fixtures/fake-anthropic.mjs';
import type { SamplingPolicy } from '../../shared/domain/sampling.js';

const TASK_SERVER = join(FIXTURES, 'task-server.mjs');
const WAIT = { timeout: 20_000 };

let rig: (BrowserRig & { api?: FakeAnthropic }) | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const nav = (page: Page, label: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: new RegExp(`^${label}`) });
const serverRow = (page: Page, name: string) => page.locator(`tbody[data-server="${name}"]`);

async function taskServer(r: BrowserRig, name = 'jobs') {
  const { view, approve } = await addApproved(r.t.host, name, NODE, [TASK_SERVER]);
  await approve();
  await serverRow(r.page, name).locator('[data-status="running"]').waitFor();
  return view.id;
}

describe('the record on screen', () => {
  it('shows each task’s status in the word and colour of that status, and cancelled as cancelled, never an error', async () => {
    rig = await openRig();
    const { page } = rig;
    const host = rig.t.host;
    const serverId = await taskServer(rig);
    const done = await host.tasks.start({ serverId, tool: 'job', arguments: { ms: 10, steps: 1, pollInterval: 250 } });
    const failed = await host.tasks.start({ serverId, tool: 'job', arguments: { ms: 10, steps: 1, pollInterval: 250, fail: 'isError' } });
    const cancelled = await host.tasks.start({ serverId, tool: 'job', arguments: { ms: 60_000, steps: 60, pollInterval: 250 } });
    const lost = await host.tasks.start({ serverId, tool: 'job', arguments: { ms: 60_000, steps: 60, pollInterval: 250 } });
    const working = await host.tasks.start({ serverId, tool: 'job', arguments: { ms: 60_000, steps: 60, pollInterval: 250 } });
    await host.tasks.cancel(cancelled.id);
    await host.tools.call({ serverId, name: 'forget', arguments: { taskId: host.tasks.detail(lost.id).remoteTaskId } });
    for (const id of [done.id, failed.id, cancelled.id, lost.id]) await host.tasks.requester.settle(id);

    await nav(page, 'Tasks').click();
    const expected: Array<[string, string, string]> = [
      [done.id, 'completed', 'ok'],
      [failed.id, 'failed', 'danger'],
      [cancelled.id, 'cancelled', 'idle'],
      [lost.id, 'lost', 'danger'],
      [working.id, 'working', 'busy'],
    ];
    for (const [id, word, tone] of expected) {
      const badge = page.locator(`.tasks-table tr[data-task="${id}"] .col-status .status`);
      await badge.getByText(word, { exact: true }).waitFor(WAIT);
      expect(await badge.getAttribute('data-tone')).toBe(tone);
    }
    // The colour is the tone's: the cancelled row is not painted like the failed one.
    const colour = (id: string) =>
      page
        .locator(`.tasks-table tr[data-task="${id}"] .col-status .status`)
        .evaluate((el: PageElement) => el.ownerDocument.defaultView?.getComputedStyle(el).color ?? '');
    expect(await colour(failed.id)).not.toBe('');
    expect(await colour(cancelled.id)).not.toBe(await colour(failed.id));
    expect(await colour(lost.id)).toBe(await colour(failed.id));
    await rig.shot('task-statuses');

    // The cancelled task's page: no error anywhere, the cancel request is the user's, the cancelled status the server's.
    await page.locator(`.tasks-table tr[data-task="${cancelled.id}"]`).getByRole('link').click();
    await page.locator('.screen-title [data-status="cancelled"]').waitFor();
    expect(await page.locator('.notice-danger').count()).toBe(0);
    const history = page.getByRole('list', { name: 'Status history' }).getByRole('listitem');
    const local = history.filter({ has: page.locator('.task-event-kind', { hasText: 'Cancel requested' }) });
    expect(await local.getAttribute('data-source')).toBe('local');
    expect(await local.locator('.task-event-source').textContent()).toBe('Steward (local)');
    const final = history.last();
    expect(await final.getAttribute('data-source')).toBe('server');
    expect(await final.getAttribute('data-status')).toBe('cancelled');
    expect(await final.textContent()).toContain('server’s time');

    // The lost one says Steward lost track, as a warning with the reason, not as the server's failure.
    await page.goto(`${rig.web.url}#/tasks/${lost.id}`);
    await page
      .locator('.notice-warning', { hasText: 'Steward lost track of this task' })
      .getByText(/no longer knows this task/)
      .waitFor(WAIT);
    await host.tasks.cancel(working.id);
    expect(rig.errors).toEqual([]);
  });

  it('says above a long history how many entries in its middle were not kept', async () => {
    rig = await openRig();
    const { page } = rig;
    const serverId = await taskServer(rig);
    // 600 steps, each a new status message: more than a task keeps.
    await rig.t.host.tasks.run({ serverId, tool: 'job', arguments: { ms: 3000, steps: 600, pollInterval: 250, statusEvery: true, progress: false } });
    const [task] = rig.t.host.tasks.list({ serverId }, 1);
    const dropped = rig.t.host.tasks.detail(task!.id).eventsDropped;
    expect(dropped).toBeGreaterThan(0);
    await page.goto(`${rig.web.url}#/tasks/${task!.id}`);
    const note = page.locator('.task-history-dropped');
    await note.waitFor(WAIT);
    expect(await note.textContent()).toBe(`${dropped} entries after the first 10 were not kept: a task keeps at most 500 entries of its history.`);
    // The latest ones are what shows first; the first ten are still there behind "Show earlier".
    await page.getByRole('list', { name: 'Status history' }).getByRole('listitem').last().getByText('completed').waitFor(WAIT);
    await rig.shot('task-history-dropped');
    expect(rig.errors).toEqual([]);
  });

  it('keeps a tool’s result with its server when the user leaves the Tools tab and comes back', async () => {
    rig = await openRig();
    const { page } = rig;
    await taskServer(rig);
    await page.getByRole('link', { name: 'jobs', exact: true }).click();
    const tools = page.getByRole('list', { name: 'Tools' });
    await tools.locator('.pick-name', { hasText: /^client_capabilities$/ }).click();
    await page.getByLabel('Arguments (JSON)').fill('{"note": "kept"}');
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    const result = page.getByRole('region', { name: 'Call result' });
    await result.getByText(/"elicitation"/).waitFor(WAIT);

    await page.getByRole('tab', { name: 'Log' }).click();
    await page.getByRole('tab', { name: 'Tools' }).click();
    await tools.locator('.pick-name', { hasText: /^client_capabilities$/ }).click();
    await result.getByText(/"elicitation"/).waitFor(WAIT);
    await page.getByText(/^Last call, at /).waitFor();
    expect(await page.getByLabel('Arguments (JSON)').inputValue()).toBe('{"note": "kept"}');

    // Away from the server altogether and back: still there.
    await nav(page, 'Tasks').click();
    await nav(page, 'Servers').click();
    await page.getByRole('link', { name: 'jobs', exact: true }).click();
    await tools.locator('.pick-name', { hasText: /^client_capabilities$/ }).click();
    await result.getByText(/"elicitation"/).waitFor(WAIT);
    expect(rig.errors).toEqual([]);
  });

  it('shows in the page dialog that the server said the page is done', async () => {
    rig = await openRig();
    const { page } = rig;
    const { view, approve } = await addApproved(rig.t.host, 'pages', NODE, [join(FIXTURES, 'elicitation-server.mjs')]);
    await approve();
    await serverRow(page, 'pages').locator('[data-status="running"]').waitFor();
    const answer = rig.t.host.runTool({ serverId: view.id, name: 'open_page', arguments: {} });
    answer.catch(() => undefined);
    await page.getByRole('dialog', { name: '“pages” asks you to open a page' }).getByRole('button', { name: 'Open in browser' }).click();
    const waiting = page.getByRole('dialog', { name: /^Waiting for 127\.0\.0\.1/ });
    await waiting.getByRole('button', { name: 'I’m done' }).waitFor();
    // The user finishes on the page (the fixture's page listener tells the server, which sends its completion).
    const [opened] = rig.t.opened;
    expect((await fetch(opened!)).status).toBe(200);
    await waiting
      .getByTestId('elicitation-completed')
      .getByText(/“pages” says the page is done \(at \d/)
      .waitFor(WAIT);
    expect(await waiting.getByText('no longer waited for').count()).toBe(0);
    await rig.shot('elicitation-completed');
    await waiting.locator('.modal-footer').getByRole('button', { name: 'Close' }).click();
    expect(rig.errors).toEqual([]);
  });

  it('over budget, offers only what can send the request; keeps edits for the loop; lets a reviewer change the reply', async () => {
    const sampling = await openSamplingRig();
    rig = sampling;
    const { page } = sampling;
    const host = sampling.t.host;
    const server = await samplingServer(sampling, 'sampler');
    await serverRow(page, 'sampler').waitFor();
    const dialog = page.getByRole('dialog', { name: '“sampler” asks to use your model' });

    // Over budget: Send once and Deny, and why the grants are gone.
    host.sampling.setPolicy(server.id, 'sampler', { mode: 'allow', budgets: { maxTokensPerRequest: 100 } });
    const held = server.call('sample', { params: textRequest('Too long', { maxTokens: 500 }) });
    await dialog
      .getByTestId('budget-choices')
      .getByText(/would not send this request/)
      .waitFor(WAIT);
    const buttons = await dialog.locator('.modal-footer button').allTextContents();
    expect(buttons).toEqual(['Deny', 'Send once']);
    await sampling.shot('sampling-over-budget');
    await dialog.getByRole('button', { name: 'Deny' }).click();
    await held;
    // The next round's dialog has the same name: wait for this one to go, or an edit could land in it as it closes.
    await dialog.waitFor({ state: 'detached' });

    // Edits kept for the loop: round 2 comes with them filled in and the box ticked; the model gets them.
    host.sampling.setPolicy(server.id, 'sampler', { mode: 'ask', budgets: { maxTokensPerRequest: 16_000 } });
    sampling.api.script([{ text: 'A.' }, { text: 'B.' }]);
    const first = textRequest('Round one', { systemPrompt: 'Server system' });
    const second = {
      ...first,
      messages: [
        ...first.messages,
        { role: 'assistant', content: { type: 'text', text: 'A.' } },
        { role: 'user', content: { type: 'text', text: 'Round two' } },
      ],
    };
    const loop = server.call('sequence', { requests: [first, second] });
    await dialog.getByLabel('System prompt', { exact: true }).fill('My system');
    await dialog.getByLabel('Keep my system prompt and max tokens for the rest of this loop').check();
    await dialog.getByRole('button', { name: 'Send once' }).click();
    await dialog.locator('.modal-description', { hasText: 'round 2 of its loop' }).waitFor(WAIT);
    expect(await dialog.getByLabel('System prompt', { exact: true }).inputValue()).toBe('My system');
    expect(await dialog.getByLabel('Keep my system prompt and max tokens for the rest of this loop').isChecked()).toBe(true);
    await dialog.getByRole('button', { name: 'Send once' }).click();
    await loop;
    const bodies = sampling.api.requests.filter((r) => r.path === '/v1/messages').map((r) => r.body as { system?: string });
    expect(bodies.map((b) => b.system)).toEqual(['My system', 'My system']);

    // Review: the reviewer changes the reply; the server gets the change, the transcript shows both and every step.
    host.sampling.setPolicy(server.id, 'sampler', { mode: 'allow', reviewReplies: true });
    sampling.api.script([{ text: 'Draft from the model' }]);
    const reviewed = server.call('sample', { params: textRequest('Review me') }) as Promise<{ result?: { content: { text: string } } }>;
    const review = page.getByRole('dialog', { name: 'Send this reply to “sampler”?' });
    await review.getByRole('button', { name: 'Change the reply before sending it' }).click(WAIT);
    await review.getByLabel('Reply to send (editable)').fill('Checked by me');
    await review.getByRole('button', { name: 'Send my version' }).click();
    expect((await reviewed).result?.content.text).toBe('Checked by me');

    await nav(page, 'Loops').click();
    await page.locator('.loops-table tbody tr').first().getByRole('link').click();
    const card = page.locator('.rounds > .round').last();
    await card.getByTestId('reply-returned').getByText('Checked by me').waitFor(WAIT);
    const steps = card.getByRole('list', { name: 'Steps' }).getByRole('listitem');
    expect(await steps.evaluateAll((items: PageElement[]) => items.map((i) => `${i.getAttribute('data-to')}/${i.getAttribute('data-by')}`))).toEqual([
      'received/server',
      'checked/host',
      'sent/policy',
      'reviewing/policy',
      'replied/user',
    ]);
    await card.getByText('The exact request and what the model was sent').click();
    await card
      .getByLabel('Request as the server sent it')
      .getByText(/"Review me"/)
      .waitFor(WAIT);
    await card
      .getByLabel('Request as the model got it')
      .getByText(/"max_tokens": 200/)
      .waitFor();
    await sampling.shot('round-record');
    expect(sampling.errors).toEqual([]);
  });

  it('saves from the policy form only the field the user changed, one test per field, keeping a change made elsewhere', async () => {
    rig = await openRig();
    const { page } = rig;
    const host = rig.t.host;
    const server = await host.servers.add({ name: 'notes', config: { transport: 'http', url: 'http://127.0.0.1:9/mcp', headers: {} } });
    const start: SamplingPolicy = {
      mode: 'deny',
      reviewReplies: true,
      allowTools: false,
      budgets: { maxTokensPerRequest: 111, tokensPerDay: 2222, requestsPerMinute: 33, roundsPerLoop: 44 },
    };
    const policy = page.getByRole('form', { name: 'Sampling policy' });
    const fields: Array<{ name: string; change: () => Promise<void>; expected: SamplingPolicy }> = [
      { name: 'mode', change: () => policy.getByLabel('Allow within budget').check(), expected: { ...start, mode: 'allow' } },
      {
        name: 'review',
        change: () => policy.getByLabel('Review each reply before it goes back to the server').uncheck(),
        expected: { ...start, reviewReplies: false },
      },
      {
        name: 'tools',
        change: () => policy.getByLabel('Let the model call this server’s tools (agent loops)').check(),
        expected: { ...start, allowTools: true },
      },
      ...(
        [
          ['Max tokens per request', 'maxTokensPerRequest'],
          ['Tokens per day', 'tokensPerDay'],
          ['Requests per minute', 'requestsPerMinute'],
          ['Rounds per loop', 'roundsPerLoop'],
        ] as const
      ).map(([label, key]) => ({
        name: key,
        change: () => policy.getByLabel(label, { exact: true }).fill('7'),
        expected: { ...start, budgets: { ...start.budgets, [key]: 7 } },
      })),
    ];
    for (const field of fields) {
      host.sampling.setPolicy(server.id, 'notes', start);
      await page.goto(`${rig.web.url}#/settings/${server.id}`);
      await page.reload();
      await policy.getByLabel('Deny').waitFor();
      expect(await policy.getByLabel('Deny').isChecked(), field.name).toBe(true);
      // Meanwhile another window (or the CLI) changes a budget this form still shows as it was.
      const elsewhere = field.name === 'tokensPerDay' ? { requestsPerMinute: 99 } : { tokensPerDay: 9999 };
      host.sampling.setPolicy(server.id, 'notes', { budgets: elsewhere });
      await field.change();
      await policy.getByRole('button', { name: 'Save policy' }).click();
      await policy.getByRole('status').getByText('Saved.').waitFor();
      expect(host.sampling.policy(server.id), field.name).toEqual({ ...field.expected, budgets: { ...field.expected.budgets, ...elsewhere } });
    }
    expect(rig.errors).toEqual([]);
  });
});
