// URL questions keyed by the server's elicitationId, on a real inbox and audit: a second elicitation/create under an id
// still waiting is refused with -32602 (a completion could not tell the two apart), and one completion finishes every
// -32042 call waiting on the page it names. A form the server withdraws while the user's answer is on the worker being
// checked against its full schema tells the user the answer was not sent, instead of reporting it sent.
import { describe, expect, it } from 'vitest';
import type { InboxItem } from '../../../shared/domain/inbox.js';
import { Audit } from '../../../main/core/audit/index.js';
import { ElicitationService, type ElicitationContext } from '../../../main/core/elicitation/index.js';
import { Inbox } from '../../../main/core/inbox/index.js';
import { judgeUrl } from '../../../main/core/security/index.js';
import { stringMatching } from '../../helpers/matchers.js';
import { memoryAudit } from '../../helpers/memory-ports.js';

const now = () => '2026-03-01T09:00:00.000Z';

function service() {
  const table = memoryAudit();
  const inbox = new Inbox(now, () => undefined);
  const opened: string[] = [];
  const elicitation = new ElicitationService({
    inbox,
    audit: new Audit(table, now, () => undefined),
    open: (url) => {
      opened.push(url);
      return Promise.resolve(judgeUrl(url, 'browser'));
    },
    relatedTask: () => null,
    now,
  });
  const pages = () => inbox.list().filter((x): x is Extract<InboxItem, { kind: 'elicitation_url' }> => x.kind === 'elicitation_url');
  return { elicitation, inbox, pages, opened, refusals: () => table.rows.filter((r) => r.kind === 'elicitation.refused') };
}

const ctx = (serverId = 's-1'): ElicitationContext => ({
  serverId,
  serverName: `server ${serverId}`,
  protocolVersion: '2025-11-25',
  signal: new AbortController().signal,
});
const page = (elicitationId: string, path = elicitationId) => ({
  mode: 'url',
  elicitationId,
  url: `https://example.com/${path}`,
  message: 'Sign in on the page.',
});

describe('URL elicitation ids', () => {
  it('refuses a second question under an id still waiting for the user, and records the refusal', async () => {
    const { elicitation, inbox, pages, refusals } = service();
    const first = elicitation.handle(ctx(), page('dup', 'first'));
    // Tried before the fix: both questions were put to the user, and a completion for "dup" reached only the newer.
    const second = elicitation.handle(ctx(), page('dup', 'second'));
    expect(pages().map((p) => p.request.url)).toEqual(['https://example.com/first']);
    await expect(second).rejects.toMatchObject({ code: -32602, message: stringMatching(/elicitationId "dup".*still waiting/) });
    expect(refusals()).toHaveLength(1);
    // Another server's ids are its own.
    void elicitation.handle(ctx('s-2'), page('dup'));
    expect(pages()).toHaveLength(2);

    await inbox.decide(pages()[0]!.id, { kind: 'elicitation_url', action: 'decline' });
    await expect(first).resolves.toEqual({ action: 'decline' });
    // Once answered, the id is free again.
    void elicitation.handle(ctx(), page('dup', 'third'));
    expect(pages().map((p) => p.request.url)).toContain('https://example.com/third');
  });

  it('refuses a question under an id whose page is open and waiting for the server, which then finishes that page', async () => {
    const { elicitation, inbox, pages, refusals } = service();
    const first = elicitation.handle(ctx(), page('dup', 'first'));
    await inbox.decide(pages()[0]!.id, { kind: 'elicitation_url', action: 'open' });
    await expect(first).resolves.toEqual({ action: 'accept' });
    expect(pages().map((p) => p.request.stage)).toEqual(['waiting']);

    // Tried before the fix: the second was asked, took the completion, and the first page waited until dismissed.
    const second = elicitation.handle(ctx(), page('dup', 'second'));
    expect(pages().map((p) => p.request.url)).toEqual(['https://example.com/first']);
    await expect(second).rejects.toMatchObject({ code: -32602 });
    expect(refusals()).toHaveLength(1);

    elicitation.complete('s-1', { elicitationId: 'dup' });
    expect(pages()).toEqual([]);
  });

  it('finishes every -32042 call waiting on a page when the server reports that page done', async () => {
    const { elicitation, pages } = service();
    const one = elicitation.required('s-1', 'server s-1', 'report', [page('pay-1')]);
    const two = elicitation.required('s-1', 'server s-1', 'summary', [page('pay-1')]);
    expect(pages()).toHaveLength(2);
    // Tried before the fix: the completion reached only the second call; the first waited for the user's "I'm done".
    elicitation.complete('s-1', { elicitationId: 'pay-1' });
    expect(pages()).toEqual([]);
    await expect(Promise.all([one, two])).resolves.toEqual([undefined, undefined]);
  });
});

describe('a form withdrawn while its answer is checked', () => {
  it('tells the one who answered that nothing was sent', async () => {
    const { elicitation, inbox } = service();
    const controller = new AbortController();
    // allOf is past the form's own keywords: the answer is checked on the worker, which takes a turn or more.
    const schema = { type: 'object', properties: { handle: { type: 'string' } }, allOf: [{ required: ['handle'] }] };
    const asked = elicitation.handle({ ...ctx(), signal: controller.signal }, { mode: 'form', message: 'Your handle?', requestedSchema: schema });
    await expect.poll(() => inbox.list().length).toBe(1);
    const item = inbox.list()[0]!;
    // Tried before the fix: the answer resolved as sent although the server had already been told its request was cancelled.
    const answering = inbox.decide(item.id, { kind: 'elicitation', action: 'accept', content: { handle: 'ada' } });
    controller.abort();
    await expect(asked).rejects.toMatchObject({ code: -32800 });
    await expect(answering).rejects.toMatchObject({ code: 'cancelled', message: stringMatching(/not sent/) });
    expect(inbox.list()).toEqual([]);
  });

  it('still sends an answer checked on the worker when nothing was withdrawn', async () => {
    const { elicitation, inbox } = service();
    const schema = { type: 'object', properties: { handle: { type: 'string' } }, allOf: [{ required: ['handle'] }] };
    const asked = elicitation.handle(ctx(), { mode: 'form', message: 'Your handle?', requestedSchema: schema });
    await expect.poll(() => inbox.list().length).toBe(1);
    await inbox.decide(inbox.list()[0]!.id, { kind: 'elicitation', action: 'accept', content: { handle: 'ada' } });
    await expect(asked).resolves.toEqual({ action: 'accept', content: { handle: 'ada' } });
  });
});
