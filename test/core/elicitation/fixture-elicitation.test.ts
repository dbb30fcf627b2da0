// Elicitation against the elicitation fixture: -32042 retried once the server reports its page complete, nothing
// reaching a page's host before the click, unknown completion ids ignored, schemas Steward cannot show refused with a
// reason, secret-looking fields flagged, draft-07 schemas, and URL mode refused on a connection that predates it.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Host } from '../../../main/core/host.js';
import { addApproved, makeHost, type TestHost } from '../../helpers/host.js';
import { FIXTURES, NODE } from '../../helpers/paths.js';
import { stringContaining } from '../../helpers/matchers.js';
import { textOf } from '../../helpers/results.js';
import { nextInboxItem } from '../../helpers/inbox.js';

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function fixture(flags: string[] = []) {
  t = await makeHost();
  const { view, approve } = await addApproved(t.host, 'pages', NODE, [join(FIXTURES, 'elicitation-server.mjs'), ...flags]);
  await approve();
  return { host: t.host, serverId: view.id, opened: t.opened };
}

const hits = async (host: Host, serverId: string) => JSON.parse(textOf(await host.tools.call({ serverId, name: 'page_hits', arguments: {} }))) as string[];

describe('elicitation (fixture)', () => {
  it('retries a -32042 call once the server reports its page complete; nothing reaches the page before the click', async () => {
    const { host, serverId, opened } = await fixture();
    const call = host.runTool({ serverId, name: 'paid_report', arguments: {} });
    const page = await nextInboxItem(host, 'elicitation_url');
    expect(page.request).toMatchObject({
      origin: 'required',
      retryTool: 'paid_report',
      stage: 'consent',
      elicitationId: 'pay-1',
      verdict: { allowed: true, host: '127.0.0.1' },
    });
    expect(page.request.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/page\/pay-1\?amount=5$/);
    // Shown, not fetched: the page's listener has seen nothing, and nothing went to the browser.
    expect(await hits(host, serverId)).toEqual([]);
    expect(opened).toEqual([]);

    await host.inbox.decide(page.id, { kind: 'elicitation_url', action: 'open' });
    expect(opened).toEqual([page.request.url]);
    expect(await hits(host, serverId)).toEqual([]);
    // The user's browser visits the page; the server then sends a completion for an unknown id, and the real one.
    await fetch(page.request.url);
    expect(textOf(await call)).toBe('report ready (attempt 2)');
    expect(await hits(host, serverId)).toEqual(['/page/pay-1?amount=5']);
    expect(host.inbox.list()).toEqual([]);
    expect(host.audit.list({ kind: 'elicitation.completed', limit: 10 })).toHaveLength(1);
    expect(host.audit.list({ kind: 'elicitation.retried', limit: 10 })).toHaveLength(1);
  });

  it('fails the call, without retrying, when the user declines the page it needs', async () => {
    const { host, serverId, opened } = await fixture();
    const call = host.runTool({ serverId, name: 'paid_report', arguments: {} });
    const page = await nextInboxItem(host, 'elicitation_url');
    await host.inbox.decide(page.id, { kind: 'elicitation_url', action: 'decline' });
    await expect(call).rejects.toMatchObject({ code: 'cancelled' });
    expect(opened).toEqual([]);
    expect(host.inbox.list()).toEqual([]);
  });

  it('answers a direct URL elicitation with accept after the click, then clears it when the server says done', async () => {
    const { host, serverId, opened } = await fixture();
    const call = host.runTool({ serverId, name: 'open_page', arguments: {} });
    const page = await nextInboxItem(host, 'elicitation_url');
    expect(page.request.origin).toBe('request');
    await host.inbox.decide(page.id, { kind: 'elicitation_url', action: 'open' });
    const answer = JSON.parse(textOf(await call)) as { elicitationId: string; result: { action: string } };
    expect(answer.result).toEqual({ action: 'accept' });
    const waiting = await nextInboxItem(host, 'elicitation_url', (i) => i.request.stage === 'waiting');
    expect(waiting.request.elicitationId).toBe(answer.elicitationId);
    await fetch(opened[0]!);
    for (let i = 0; i < 200 && host.inbox.list().length > 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(host.inbox.list()).toEqual([]);
  });

  it('never keeps or shows a password a page address carries, and never opens it', async () => {
    const { host, serverId, opened } = await fixture();
    // Tried: the raw address was kept in the question (and so in the database) and shown under "exactly as sent".
    const call = host.runTool({ serverId, name: 'open_page', arguments: { url: 'https://alice:hunter2@example.com/pay' } });
    const page = await nextInboxItem(host, 'elicitation_url');
    expect(page.request.verdict.allowed).toBe(false);
    expect(page.request.url).toBe('https://redacted@example.com/pay');
    expect(JSON.stringify(host.inbox.list())).not.toContain('hunter2');
    expect(JSON.stringify(host.store.db.prepare('SELECT * FROM inbox_items').all())).not.toContain('hunter2');
    await expect(host.inbox.decide(page.id, { kind: 'elicitation_url', action: 'open' })).rejects.toBeDefined();
    expect(opened).toEqual([]);
    await host.inbox.decide(page.id, { kind: 'elicitation_url', action: 'cancel' });
    await call;
  });

  it('heads a look-alike page with its name as sent, says what it imitates, and opens only the canonical form', async () => {
    const { host, serverId, opened } = await fixture();
    // "pаypal.com" with a Cyrillic а.
    const call = host.runTool({ serverId, name: 'open_page', arguments: { url: 'https://p\u0430ypal.com/login?next=%2Fpay' } });
    const page = await nextInboxItem(host, 'elicitation_url');
    expect(page.request.verdict).toMatchObject({ allowed: true, host: 'xn--pypal-4ve.com', display: 'https://xn--pypal-4ve.com/login?next=%2Fpay' });
    expect(page.request.verdict.warnings.join(' ')).toMatch(/mixes Latin and Cyrillic.*"paypal\.com"/);
    expect(JSON.stringify(page.request.verdict)).not.toContain('p\u0430ypal');
    await host.inbox.decide(page.id, { kind: 'elicitation_url', action: 'open' });
    expect(opened).toEqual(['https://xn--pypal-4ve.com/login?next=%2Fpay']);
    expect(JSON.parse(textOf(await call))).toMatchObject({ result: { action: 'accept' } });
  });

  it('refuses forms it cannot show, with the reason, and never puts them in front of the user', async () => {
    const { host, serverId } = await fixture();
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ type: 'object', properties: { address: { type: 'object', properties: { street: { type: 'string' } } } } }, /"address" is a nested object/],
      [{ type: 'object', properties: { people: { type: 'array', items: { type: 'object' } } } }, /"people" is a list of something other than choices/],
      [{ type: 'object', properties: { mystery: { description: 'no type' } } }, /"mystery" has no type/],
      [{ type: 'object', properties: { pick: { type: 'string', enum: [] } } }, /"pick" offers no options/],
      [{ type: 'array' }, /requestedSchema must be an object schema/],
      // Names every object has would read as always answered: an optional field could never be left empty.
      [{ type: 'object', properties: { constructor: { type: 'string' } } }, /"constructor" is not a usable field name/],
      [{ type: 'object', properties: JSON.parse('{"__proto__": {"type": "string"}}') as Record<string, unknown> }, /"__proto__" is not a usable field name/],
      [{ $schema: 'https://example.com/my-dialect', type: 'object', properties: { a: { type: 'string' } } }, /cannot be checked/],
      // A rule past the form's keywords that does not compile: no answer could ever be sent.
      [{ type: 'object', properties: { a: { type: 'string', pattern: '(' } } }, /cannot be checked/],
    ];
    for (const [schema, reason] of cases) {
      const result = JSON.parse(textOf(await host.runTool({ serverId, name: 'ask', arguments: { schema } }))) as { error?: { code: number; message: string } };
      expect(result.error?.code, JSON.stringify(schema)).toBe(-32602);
      expect(result.error?.message).toMatch(reason);
    }
    expect(host.inbox.list()).toEqual([]);
    expect(host.audit.list({ kind: 'elicitation.refused', limit: 20 })).toHaveLength(cases.length);
  });

  it('flags fields that look like secrets, reads draft-07 schemas, and passes cancel on', async () => {
    const { host, serverId } = await fixture();
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { api_key: { type: 'string', title: 'API key' }, nickname: { type: 'string', minLength: 2 } },
      required: ['nickname'],
    };
    const call = host.runTool({ serverId, name: 'ask', arguments: { schema } });
    const item = await nextInboxItem(host, 'elicitation');
    expect(item.request.fields.map((f) => [f.name, f.secretLike])).toEqual([
      ['api_key', true],
      ['nickname', false],
    ]);
    await expect(host.inbox.decide(item.id, { kind: 'elicitation', action: 'accept', content: { nickname: 'x' } })).rejects.toMatchObject({
      message: stringContaining('At least 2 characters'),
    });
    await host.inbox.decide(item.id, { kind: 'elicitation', action: 'cancel' });
    expect(JSON.parse(textOf(await call))).toEqual({ result: { action: 'cancel' } });
  });

  it('refuses URL mode on a connection whose protocol version has none, and still shows forms there', async () => {
    const { host, serverId } = await fixture(['--protocol=2025-06-18']);
    const url = JSON.parse(textOf(await host.runTool({ serverId, name: 'open_page', arguments: {} }))) as { error?: { code: number } };
    expect(url.error?.code).toBe(-32602);
    expect(host.inbox.list()).toEqual([]);
    const call = host.runTool({ serverId, name: 'ask', arguments: { schema: { type: 'object', properties: { ok: { type: 'boolean', default: true } } } } });
    const item = await nextInboxItem(host, 'elicitation');
    await host.inbox.decide(item.id, { kind: 'elicitation', action: 'accept', content: {} });
    expect(JSON.parse(textOf(await call))).toEqual({ result: { action: 'accept', content: { ok: true } } });
  });
});
