// Elicitation against server-everything over stdio: the form with every field kind, URL mode directly and through
// -32042, a task-augmented elicitation Steward runs as a task, and input_required inside a task.
import { afterEach, describe, expect, it } from 'vitest';
import { addApproved, makeHost, type TestHost } from '../../helpers/host.js';
import { EVERYTHING, NODE } from '../../helpers/paths.js';
import { arrayContaining } from '../../helpers/matchers.js';
import { nextInboxItem } from '../../helpers/inbox.js';

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function everything() {
  t = await makeHost();
  const { view, approve } = await addApproved(t.host, 'everything', NODE, [EVERYTHING, 'stdio']);
  await approve();
  return { host: t.host, serverId: view.id, opened: t.opened };
}

const textOf = (r: { content: Array<Record<string, unknown>> }) => r.content.map((c) => (typeof c.text === 'string' ? c.text : '')).join('\n');

describe('elicitation with server-everything', () => {
  it('shows every field kind of trigger-elicitation-request with its defaults, checks the answer, and sends it', async () => {
    const { host, serverId } = await everything();
    const call = host.runTool({ serverId, name: 'trigger-elicitation-request', arguments: {} });
    const item = await nextInboxItem(host, 'elicitation');
    const byName = Object.fromEntries(item.request.fields.map((f) => [f.name, f]));
    expect(byName.name).toMatchObject({ kind: 'text', required: true, label: 'String' });
    expect(byName.check).toMatchObject({ kind: 'boolean' });
    expect(byName.firstLine).toMatchObject({ kind: 'text', default: 'It was a dark and stormy night.' });
    expect(byName.email).toMatchObject({ kind: 'text', format: 'email' });
    expect(byName.homepage).toMatchObject({ kind: 'text', format: 'uri' });
    expect(byName.birthdate).toMatchObject({ kind: 'text', format: 'date' });
    expect(byName.integer).toMatchObject({ kind: 'number', integer: true, minimum: 1, maximum: 100, default: 42 });
    expect(byName.number).toMatchObject({ kind: 'number', integer: false, default: 3.14 });
    expect(byName.untitledSingleSelectEnum).toMatchObject({ kind: 'select', default: 'Monica' });
    expect(byName.untitledMultipleSelectEnum).toMatchObject({ kind: 'multiselect', minItems: 1, maxItems: 3, default: ['Guitar'] });
    expect(byName.titledSingleSelectEnum).toMatchObject({ kind: 'select', options: arrayContaining([{ value: 'hero-2', label: 'Green Lantern' }]) });
    expect(byName.titledMultipleSelectEnum).toMatchObject({ kind: 'multiselect', options: arrayContaining([{ value: 'fish-3', label: 'Trout' }]) });
    expect(byName.legacyTitledEnum).toMatchObject({ kind: 'select', options: arrayContaining([{ value: 'pet-2', label: 'Dogs' }]), default: 'pet-1' });
    expect(byName.integer!.secretLike).toBe(false);

    // Answers that break the schema are refused before they leave, and the question stays open.
    const bad = await host.dispatch('inbox:decide', {
      itemId: item.id,
      decision: { kind: 'elicitation', action: 'accept', content: { email: 'not-an-email', integer: 500 } },
    });
    expect(bad).toMatchObject({ ok: false, code: 'invalid_payload' });
    expect(!bad.ok && bad.message).toMatch(/name: Required\..*email: Enter an email address\..*integer: At most 100\./s);
    expect(host.inbox.list().some((i) => i.id === item.id)).toBe(true);
    const wrongField = await host.dispatch('inbox:decide', {
      itemId: item.id,
      decision: { kind: 'elicitation', action: 'accept', content: { name: 'Ada', shoeSize: 9 } },
    });
    expect(wrongField).toMatchObject({ ok: false, code: 'invalid_payload' });

    const ok = await host.dispatch('inbox:decide', {
      itemId: item.id,
      decision: {
        kind: 'elicitation',
        action: 'accept',
        content: { name: 'Ada Lovelace', email: 'ada@example.org', check: true, birthdate: '1815-12-10', untitledMultipleSelectEnum: ['Piano', 'Violin'] },
      },
    });
    expect(ok).toMatchObject({ ok: true });
    const text = textOf(await call);
    expect(text).toContain('- Name: Ada Lovelace');
    expect(text).toContain('- Email: ada@example.org');
    // Fields left alone went back with their defaults.
    expect(text).toContain('- Favorite Integer: 42');
    expect(text).toContain('"firstLine": "It was a dark and stormy night."');
    expect(text).toContain('"Piano"');
    expect(host.inbox.list()).toHaveLength(0);
    const answered = host.audit.list({ kind: 'elicitation.answered', limit: 5 });
    expect(answered[0]!.data).toMatchObject({ action: 'accept' });
    // Values never reach the record.
    expect(JSON.stringify(host.audit.list({ limit: 50 }))).not.toContain('Ada Lovelace');
  });

  it('passes a decline on as decline, without content', async () => {
    const { host, serverId } = await everything();
    const call = host.runTool({ serverId, name: 'trigger-elicitation-request', arguments: {} });
    const item = await nextInboxItem(host, 'elicitation');
    await host.inbox.decide(item.id, { kind: 'elicitation', action: 'decline' });
    const text = textOf(await call);
    expect(text).toContain('User declined');
    expect(text).not.toContain('"content"');
  });

  it('opens a URL only after the click, through the gate, and reports accept', async () => {
    const { host, serverId, opened } = await everything();
    const url = 'https://example.com/connect?step=1';
    const call = host.runTool({ serverId, name: 'trigger-url-elicitation', arguments: { url, message: 'Connect your account', elicitationId: 'el-1' } });
    const item = await nextInboxItem(host, 'elicitation_url');
    expect(item.request).toMatchObject({
      url,
      message: 'Connect your account',
      elicitationId: 'el-1',
      stage: 'consent',
      origin: 'request',
      verdict: { allowed: true, host: 'example.com' },
    });
    expect(opened).toEqual([]);
    await host.inbox.decide(item.id, { kind: 'elicitation_url', action: 'open' });
    expect(opened).toEqual([url]);
    expect(textOf(await call)).toContain('User completed the URL elicitation flow');
    // The item now waits for the server to say the page is done; the user can close it.
    const waiting = await nextInboxItem(host, 'elicitation_url');
    expect(waiting.request.stage).toBe('waiting');
    await host.inbox.decide(waiting.id, { kind: 'elicitation_url', action: 'done' });
    expect(host.inbox.list()).toHaveLength(0);
  });

  it('never opens a URL the gate refuses, even when told to', async () => {
    const { host, serverId, opened } = await everything();
    const url = 'http://user:pw@example.com/pay';
    const call = host.runTool({ serverId, name: 'trigger-url-elicitation', arguments: { url, elicitationId: 'el-2' } });
    const item = await nextInboxItem(host, 'elicitation_url');
    expect(item.request.verdict.allowed).toBe(false);
    await expect(host.inbox.decide(item.id, { kind: 'elicitation_url', action: 'open' })).rejects.toMatchObject({ code: 'invalid_payload' });
    expect(opened).toEqual([]);
    await host.inbox.decide(item.id, { kind: 'elicitation_url', action: 'decline' });
    expect(textOf(await call)).toContain('User declined to open the URL');
  });

  it('runs the -32042 path: the page it names, then the original call again', async () => {
    const { host, serverId, opened } = await everything();
    const url = 'https://example.com/after-prerequisite';
    const call = host.runTool({ serverId, name: 'trigger-url-elicitation', arguments: { url, errorPath: true, elicitationId: 'el-3' } });
    const prerequisite = await nextInboxItem(host, 'elicitation_url');
    expect(prerequisite.request).toMatchObject({ origin: 'required', retryTool: 'trigger-url-elicitation', url: 'https://modelcontextprotocol.io' });
    await host.inbox.decide(prerequisite.id, { kind: 'elicitation_url', action: 'open' });
    // server-everything sends no completion: the user says they are done, and the call is tried again.
    const waiting = await nextInboxItem(host, 'elicitation_url');
    expect(waiting.request.stage).toBe('waiting');
    await host.inbox.decide(waiting.id, { kind: 'elicitation_url', action: 'done' });
    // The retried call takes the request path: a URL elicitation for the original URL.
    const direct = await nextInboxItem(host, 'elicitation_url', (i) => i.id !== prerequisite.id && i.id !== waiting.id);
    expect(direct.request).toMatchObject({ url, origin: 'request' });
    await host.inbox.decide(direct.id, { kind: 'elicitation_url', action: 'open' });
    expect(textOf(await call)).toContain('User completed the URL elicitation flow');
    expect(opened).toEqual(['https://modelcontextprotocol.io/', url]);
    expect(host.audit.list({ kind: 'elicitation.retried', limit: 5 })).toHaveLength(1);
  });

  it('answers trigger-elicitation-request-async as the receiver of an elicitation task', async () => {
    const { host, serverId } = await everything();
    const call = host.runTool({ serverId, name: 'trigger-elicitation-request-async', arguments: {} });
    const item = await nextInboxItem(host, 'elicitation');
    const incoming = host.tasks.list({ serverId }, 10).filter((v) => v.direction === 'incoming');
    expect(incoming).toMatchObject([{ method: 'elicitation/create', status: 'working' }]);
    const content = Object.fromEntries(
      item.request.fields.filter((f) => f.required).map((f) => [f.name, f.kind === 'number' ? 1 : f.kind === 'boolean' ? true : 'x']),
    );
    await host.inbox.decide(item.id, { kind: 'elicitation', action: 'accept', content });
    const text = textOf(await call);
    expect(text).toMatch(/completed|accept/i);
    expect(host.tasks.list({ serverId }, 10).find((v) => v.direction === 'incoming')).toMatchObject({ status: 'completed' });
  });

  it('follows simulate-research-query into input_required and back, the question tagged with its task', async () => {
    const { host, serverId } = await everything();
    const call = host.runTool({ serverId, name: 'simulate-research-query', arguments: { topic: 'tide pools', ambiguous: true } });
    const item = await nextInboxItem(host, 'elicitation');
    const [task] = host.tasks.list({ serverId }, 10);
    expect(task).toMatchObject({ label: 'simulate-research-query', status: 'input_required' });
    expect(item.request.relatedTask).toEqual({ taskId: task!.id, label: 'simulate-research-query' });
    const choice = item.request.fields[0]!;
    const value = choice.kind === 'select' ? choice.options[0]!.value : 'technical';
    await host.inbox.decide(item.id, { kind: 'elicitation', action: 'accept', content: { [choice.name]: value } });
    const text = textOf(await call);
    expect(text).toContain('tide pools');
    expect(host.tasks.detail(task!.id).events.map((e) => e.status)).toEqual(arrayContaining(['working', 'input_required', 'completed']));
  });
});
