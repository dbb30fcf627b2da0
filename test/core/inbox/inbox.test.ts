// The inbox's caps and its changes, as pure behaviour: a server past its cap for a kind of question is refused with
// limit_reached (a replacement of the same question is not one more; another server is not affected), and every change
// goes out as one item added or removed, never the whole list.
import { describe, expect, it } from 'vitest';
import { Inbox, type NewItem } from '../../../main/core/inbox/index.js';
import { SERVER_LIMITS } from '../../../main/core/limits.js';
import type { InboxChange } from '../../../shared/domain/inbox.js';
import { StewardError } from '../../../shared/errors.js';

const form = (serverId: string, related = false): NewItem<'elicitation'> => ({
  kind: 'elicitation',
  serverId,
  serverName: `server ${serverId}`,
  request: { message: 'Your name?', fields: [], relatedTask: related ? { taskId: 't1', label: 'job' } : null },
});

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

function inbox() {
  const changes: InboxChange[] = [];
  let tick = 0;
  const box = new Inbox(
    () => new Date(1_700_000_000_000 + tick++).toISOString(),
    (c) => changes.push(c),
  );
  return { box, changes };
}

describe('inbox caps', () => {
  it('refuses the question past a server’s cap for its kind, with limit_reached and the reason', () => {
    const { box } = inbox();
    for (let i = 0; i < SERVER_LIMITS.questions.form; i++) box.put(`form:${i}`, form('a'));
    expect(() => box.put('form:over', form('a'))).toThrow(/"server a" already has 20 forms waiting/);
    expect(codeOf(() => box.put('form:over', form('a')))).toBe('limit_reached');
    expect(box.count('a', 'form')).toBe(SERVER_LIMITS.questions.form);
    // Another server still may ask; replacing a waiting question is not one more.
    expect(() => box.put('form:b', form('b'))).not.toThrow();
    expect(() => box.put('form:3', form('a'))).not.toThrow();
    box.removeKey('form:0');
    expect(() => box.put('form:again', form('a'))).not.toThrow();
  });

  it('counts questions that belong to a task against the task cap as well', () => {
    const { box } = inbox();
    for (let i = 0; i < SERVER_LIMITS.questions.form; i++) box.put(`f:${i}`, form('a', true));
    expect(box.count('a', 'taskInput')).toBe(SERVER_LIMITS.questions.form);
    expect(codeOf(() => box.ensureRoom('a', 'a', ['taskInput']))).toBe('limit_reached');
  });

  it('refuses without capturing a stack (a flood is refused by the thousand), and leaves stacks on for other errors', () => {
    const { box } = inbox();
    for (let i = 0; i < SERVER_LIMITS.questions.form; i++) box.put(`form:${i}`, form('a'));
    let refusal: unknown;
    try {
      box.ensureRoom('a', 'server a', ['form']);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(StewardError);
    expect((refusal as Error).stack).not.toMatch(/\n\s+at /);
    expect(new Error('after').stack).toMatch(/\n\s+at /);
  });

  it('tells of each change alone: one added, one replaced, one removed', () => {
    const { box, changes } = inbox();
    const first = box.put('k', form('a'));
    const second = box.put('k', form('a'));
    box.removeKey('k');
    box.removeKey('k');
    expect(changes).toEqual([
      { change: 'added', item: first },
      { change: 'added', item: second, replaces: first.id },
      { change: 'removed', id: second.id },
    ]);
    expect(box.list()).toEqual([]);
    expect(box.count('a', 'form')).toBe(0);
  });
});
