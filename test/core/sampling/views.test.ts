// A loop's rounds as the transcript shows them: a round that continues the one before shows only what the server
// added, and any other shows every message it sent, so a user approving or auditing a round never misses one.
import { describe, expect, it } from 'vitest';
import { roundView } from '../../../main/core/sampling/views.js';
import type { RoundRow } from '../../../main/core/store/index.js';

type Message = { role: 'user' | 'assistant'; content: unknown };

const text = (t: string) => ({ type: 'text', text: t });
const user = (t: string): Message => ({ role: 'user', content: [text(t)] });
const assistant = (t: string): Message => ({ role: 'assistant', content: [text(t)] });

function row(round: number, messages: Message[], reply: unknown[] | null = null, returned: unknown[] | null = reply): RoundRow {
  return {
    id: `r-${round}`,
    loop_id: 'loop-1',
    server_id: 's-1',
    round,
    received_at: '2026-03-01T09:00:00.000Z',
    status: reply ? 'replied' : 'waiting',
    decided_by: reply ? 'user' : null,
    model: null,
    input_tokens: 0,
    output_tokens: 0,
    latency_ms: null,
    stop_reason: null,
    request: JSON.stringify({ messages, maxTokens: 100 }),
    reply: reply && JSON.stringify(reply),
    error: null,
    edits: null,
    sent: null,
    reply_returned: returned && JSON.stringify(returned),
    steps: null,
    params_report: null,
    owner_pid: null,
    owner_started: null,
  };
}

const shown = (current: RoundRow, previous?: RoundRow) => roundView(current, previous).newMessages;

describe('what a round shows as new from the server', () => {
  const first = row(1, [user('U1')], [text('R1')]);

  const cases: Array<[string, RoundRow | undefined, Message[], Message[]]> = [
    ['a first round shows all it sent', undefined, [user('U1'), assistant('A'), user('U2')], [user('U1'), assistant('A'), user('U2')]],
    ['a round that continues the previous shows only what follows it', first, [user('U1'), assistant('R1'), user('U2')], [user('U2')]],
    // Tried before the fix: only Z was shown; X and Y appeared only in the raw request.
    [
      'a round of the same tool call that does not continue shows everything',
      first,
      [user('X'), assistant('Y'), user('Z')],
      [user('X'), assistant('Y'), user('Z')],
    ],
    [
      'a round whose history differs only in the reply shows everything',
      first,
      [user('U1'), assistant('other'), user('U2')],
      [user('U1'), assistant('other'), user('U2')],
    ],
    ['a round no longer than the previous and its reply shows everything', first, [user('U1'), assistant('R1')], [user('U1'), assistant('R1')]],
  ];
  it.each(cases)('%s', (_name, previous, messages, expected) => {
    expect(shown(row(2, messages), previous)).toEqual(expected);
  });

  it('compares with the reply as the server got it, after the user changed it in review', () => {
    const edited = row(1, [user('U1')], [text('model said')], [text('user changed')]);
    // Tried before the fix: a round repeating the model's own reply, which the server never got, read as a continuation.
    expect(shown(row(2, [user('U1'), assistant('model said'), user('U2')]), edited)).toHaveLength(3);
    expect(shown(row(2, [user('U1'), assistant('user changed'), user('U2')]), edited)).toEqual([user('U2')]);
  });

  it('shows everything after a round the server got no reply for', () => {
    const denied = row(1, [user('U1')]);
    expect(shown(row(2, [user('U1'), user('U2')]), denied)).toEqual([user('U1'), user('U2')]);
  });

  it('reads a tool input written back with its keys in another order as the same conversation', () => {
    const use = { type: 'tool_use', id: 't1', name: 'lookup', input: { a: 1, b: { c: 2, d: 3 } } };
    const previous = row(1, [user('U1')], [use]);
    const back = { role: 'assistant' as const, content: [{ input: { b: { d: 3, c: 2 }, a: 1 }, name: 'lookup', id: 't1', type: 'tool_use' }] };
    const result = { role: 'user' as const, content: [{ type: 'tool_result', toolUseId: 't1', content: [text('found')] }] };
    expect(shown(row(2, [user('U1'), back, result]), previous)).toEqual([result]);
  });

  it('shows a tool result sent without content, as an empty result', () => {
    // Tried before the fix: the block was dropped, and the round read as a user message with nothing in it.
    const bare = { role: 'user' as const, content: { type: 'tool_result', toolUseId: 't1' } };
    const use = { type: 'tool_use', id: 't1', name: 'lookup', input: {} };
    expect(shown(row(2, [user('U1'), { role: 'assistant', content: [use] }, bare]), row(1, [user('U1')], [use]))).toEqual([
      { role: 'user', content: [{ type: 'tool_result', toolUseId: 't1', content: [] }] },
    ]);
  });
});
