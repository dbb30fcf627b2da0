// LoopTracker: which sampling requests belong to one agent loop, and which round each one is.
import { describe, expect, it } from 'vitest';
import type { SamplingBlock, SamplingMessageView } from '../../../shared/domain/sampling.js';
import { LoopTracker } from '../../../main/core/sampling/loops.js';

const MINUTE = 60_000;

const text = (t: string): SamplingBlock => ({ type: 'text', text: t });
const use = (id: string): SamplingBlock => ({ type: 'tool_use', id, name: 'lookup', input: { q: id } });
const result = (id: string): SamplingBlock => ({ type: 'tool_result', toolUseId: id, content: [{ type: 'text', text: `result ${id}` }] });
const user = (...content: SamplingBlock[]): SamplingMessageView => ({ role: 'user', content });
const assistant = (...content: SamplingBlock[]): SamplingMessageView => ({ role: 'assistant', content });

function setup() {
  const clock = { now: 1_700_000_000_000 };
  let n = 0;
  const tracker = new LoopTracker(
    () => `loop-${++n}`,
    () => clock.now,
  );
  return { tracker, clock };
}

/** One conversation as a server drives it: each request is the last one, the reply, and a new user message. */
function conversation(tracker: LoopTracker, serverId: string, first: SamplingMessageView, toolCallId: string | null = null) {
  let messages: SamplingMessageView[] = [first];
  let placed = tracker.place(serverId, messages, toolCallId);
  return {
    get placed() {
      return placed;
    },
    get messages() {
      return messages;
    },
    reply(reply: SamplingBlock[]) {
      tracker.replied(placed.loopId, messages, reply);
      return reply;
    },
    next(reply: SamplingBlock[], then: SamplingMessageView) {
      messages = [...messages, assistant(...reply), then];
      placed = tracker.place(serverId, messages, toolCallId);
      return placed;
    },
  };
}

describe('LoopTracker', () => {
  it('starts a new conversation at round 1 of a new loop', () => {
    const { tracker } = setup();
    expect(tracker.place('s1', [user(text('hi'))], null)).toEqual({ loopId: 'loop-1', round: 1, isNew: true });
  });

  it('continues the loop while each request extends the previous one and its reply', () => {
    const { tracker } = setup();
    const c = conversation(tracker, 's1', user(text('weather in Oslo and Bergen?')));
    const loopId = c.placed.loopId;
    expect(c.next(c.reply([use('a')]), user(result('a')))).toEqual({ loopId, round: 2, isNew: false });
    expect(c.next(c.reply([text('and Bergen:'), use('b')]), user(result('b')))).toEqual({ loopId, round: 3, isNew: false });
    expect(c.next(c.reply([text('Oslo 12°C, Bergen 9°C.')]), user(text('thanks, and tomorrow?')))).toEqual({ loopId, round: 4, isNew: false });
  });

  it('matches a reply the server sends back as an equal assistant message', () => {
    const { tracker } = setup();
    const first = [user(text('q'))];
    const { loopId } = tracker.place('s1', first, null);
    tracker.replied(loopId, first, [use('a')]);
    // A fresh but equal copy, as it arrives after a round trip through JSON.
    const echoed = JSON.parse(JSON.stringify([...first, assistant(use('a')), user(result('a'))])) as SamplingMessageView[];
    expect(tracker.place('s1', echoed, null)).toMatchObject({ loopId, round: 2 });
  });

  it('starts a new loop when the request does not extend the last one', () => {
    const { tracker } = setup();
    const first = [user(text('q'))];
    const { loopId } = tracker.place('s1', first, null);
    tracker.replied(loopId, first, [text('answer')]);
    const rows: Array<{ name: string; messages: SamplingMessageView[] }> = [
      { name: 'a different reply in the history', messages: [...first, assistant(text('another answer')), user(text('more'))] },
      { name: 'a different first message', messages: [user(text('q!')), assistant(text('answer')), user(text('more'))] },
      { name: 'the history without a new message', messages: [...first, assistant(text('answer'))] },
      { name: 'a role swapped', messages: [...first, user(text('answer')), user(text('more'))] },
    ];
    for (const row of rows) {
      const placed = tracker.place('s1', row.messages, null);
      expect({ name: row.name, isNew: placed.isNew, round: placed.round, same: placed.loopId === loopId }).toEqual({
        name: row.name,
        isNew: true,
        round: 1,
        same: false,
      });
    }
  });

  it('does not continue a loop whose reply has not been sent yet', () => {
    const { tracker } = setup();
    const first = [user(text('q'))];
    const a = tracker.place('s1', first, null);
    const b = tracker.place('s1', [...first, assistant(text('answer')), user(text('more'))], null);
    expect(b.loopId).not.toBe(a.loopId);
    expect(b.round).toBe(1);
  });

  it('never lets two servers share a loop', () => {
    const { tracker } = setup();
    const first = [user(text('same prompt'))];
    const one = tracker.place('s1', first, 'call-1');
    tracker.replied(one.loopId, first, [text('same reply')]);
    const next = [...first, assistant(text('same reply')), user(text('go on'))];
    const other = tracker.place('s2', next, 'call-1');
    expect(other).toMatchObject({ round: 1, isNew: true });
    expect(other.loopId).not.toBe(one.loopId);
    expect(tracker.place('s1', next, null)).toEqual({ loopId: one.loopId, round: 2, isNew: false });
  });

  it('keeps two conversations of one server apart when they interleave', () => {
    const { tracker } = setup();
    const a = conversation(tracker, 's1', user(text('conversation A')));
    const b = conversation(tracker, 's1', user(text('conversation B')));
    expect(b.placed.loopId).not.toBe(a.placed.loopId);
    const replyA = a.reply([use('a1')]);
    const replyB = b.reply([use('b1')]);
    expect(b.next(replyB, user(result('b1')))).toEqual({ loopId: b.placed.loopId, round: 2, isNew: false });
    expect(a.next(replyA, user(result('a1')))).toEqual({ loopId: a.placed.loopId, round: 2, isNew: false });
    const replyA2 = a.reply([text('A done')]);
    const replyB2 = b.reply([text('B done')]);
    expect(a.next(replyA2, user(text('A again'))).round).toBe(3);
    expect(b.next(replyB2, user(text('B again'))).round).toBe(3);
    expect(new Set([a.placed.loopId, b.placed.loopId]).size).toBe(2);
  });

  it('prefers the loop with the longest matching history', () => {
    const { tracker } = setup();
    const short = [user(text('q'))];
    const long = [...short, assistant(text('r1')), user(text('q2'))];
    const outer = tracker.place('s1', short, null);
    // Placed before the first loop replied, so it starts a loop of its own.
    const inner = tracker.place('s1', long, null);
    expect(inner.loopId).not.toBe(outer.loopId);
    tracker.replied(inner.loopId, long, [text('r2')]);
    tracker.replied(outer.loopId, short, [text('r1')]);
    expect(tracker.place('s1', [...long, assistant(text('r2')), user(text('q3'))], null)).toEqual({ loopId: inner.loopId, round: 2, isNew: false });
  });

  it('forgets an older branch once the loop has moved on', () => {
    const { tracker } = setup();
    const short = [user(text('q'))];
    const loop = tracker.place('s1', short, null);
    tracker.replied(loop.loopId, short, [text('r1')]);
    const long = [...short, assistant(text('r1')), user(text('q2'))];
    expect(tracker.place('s1', long, null)).toEqual({ loopId: loop.loopId, round: 2, isNew: false });
    // While round 2 waits for its reply, a second request on round 1's history is a conversation of its own.
    expect(tracker.place('s1', [...short, assistant(text('r1')), user(text('parallel'))], null).isNew).toBe(true);
    tracker.replied(loop.loopId, long, [text('r2')]);
    expect(tracker.place('s1', [...short, assistant(text('r1')), user(text('other'))], null).isNew).toBe(true);
    expect(tracker.place('s1', [...long, assistant(text('r2')), user(text('q3'))], null)).toEqual({ loopId: loop.loopId, round: 3, isNew: false });
  });

  it('continues the loop of the same tool call even when the server trims its history', () => {
    const { tracker } = setup();
    const first = [user(text('long task')), assistant(text('ok')), user(text('step 1'))];
    const start = tracker.place('s1', first, 'call-7');
    tracker.replied(start.loopId, first, [use('a')]);
    const trimmed = [user(text('summary of earlier steps')), assistant(use('a')), user(result('a'))];
    expect(tracker.place('s1', trimmed, 'call-7')).toEqual({ loopId: start.loopId, round: 2, isNew: false });
    expect(tracker.place('s1', [user(text('another summary'))], 'call-7')).toEqual({ loopId: start.loopId, round: 3, isNew: false });
  });

  it('starts a new loop for a trimmed history from another tool call or none', () => {
    const { tracker } = setup();
    const first = [user(text('task'))];
    const start = tracker.place('s1', first, 'call-7');
    tracker.replied(start.loopId, first, [use('a')]);
    const trimmed = [user(text('summary'))];
    expect(tracker.place('s1', trimmed, 'call-8')).toMatchObject({ round: 1, isNew: true });
    expect(tracker.place('s1', trimmed, null)).toMatchObject({ round: 1, isNew: true });
  });

  it('lets a history match win over the tool-call fallback', () => {
    const { tracker } = setup();
    const x = tracker.place('s1', [user(text('X'))], 'call-1');
    const yFirst = [user(text('Y'))];
    const y = tracker.place('s1', yFirst, null);
    expect(y.loopId).not.toBe(x.loopId);
    tracker.replied(y.loopId, yFirst, [text('ry')]);
    expect(tracker.place('s1', [...yFirst, assistant(text('ry')), user(text('more'))], 'call-1')).toEqual({ loopId: y.loopId, round: 2, isNew: false });
  });

  describe('idle expiry', () => {
    function looped() {
      const { tracker, clock } = setup();
      const first = [user(text('q'))];
      const start = tracker.place('s1', first, 'call-1');
      tracker.replied(start.loopId, first, [text('r')]);
      const next = [...first, assistant(text('r')), user(text('more'))];
      return { tracker, clock, loopId: start.loopId, next };
    }

    it('starts a new loop after more than 30 idle minutes', () => {
      const { tracker, clock, loopId, next } = looped();
      clock.now += 30 * MINUTE + 1;
      expect(tracker.isOpen(loopId)).toBe(false);
      const placed = tracker.place('s1', next, 'call-1');
      expect(placed).toMatchObject({ round: 1, isNew: true });
      expect(placed.loopId).not.toBe(loopId);
    });

    it('keeps the loop at exactly 30 idle minutes', () => {
      const { tracker, clock, loopId, next } = looped();
      clock.now += 30 * MINUTE;
      expect(tracker.isOpen(loopId)).toBe(true);
      expect(tracker.place('s1', next, null)).toEqual({ loopId, round: 2, isNew: false });
    });

    it('counts idle time from the last reply, not the start of the loop', () => {
      const { tracker, clock } = setup();
      const first = [user(text('q'))];
      const { loopId } = tracker.place('s1', first, null);
      clock.now += 25 * MINUTE;
      tracker.replied(loopId, first, [text('r')]);
      clock.now += 25 * MINUTE;
      expect(tracker.place('s1', [...first, assistant(text('r')), user(text('more'))], null)).toEqual({ loopId, round: 2, isNew: false });
    });
  });

  it('ends a loop on close: the next round starts a new one', () => {
    const { tracker } = setup();
    const first = [user(text('q'))];
    const { loopId } = tracker.place('s1', first, 'call-1');
    tracker.replied(loopId, first, [text('r')]);
    expect(tracker.isOpen(loopId)).toBe(true);
    tracker.close(loopId);
    expect(tracker.isOpen(loopId)).toBe(false);
    const placed = tracker.place('s1', [...first, assistant(text('r')), user(text('more'))], 'call-1');
    expect(placed).toMatchObject({ round: 1, isNew: true });
    expect(placed.loopId).not.toBe(loopId);
  });

  it('ignores a reply for a loop that was closed', () => {
    const { tracker } = setup();
    const first = [user(text('q'))];
    const { loopId } = tracker.place('s1', first, null);
    tracker.close(loopId);
    tracker.replied(loopId, first, [text('r')]);
    expect(tracker.isOpen(loopId)).toBe(false);
    expect(tracker.place('s1', [...first, assistant(text('r')), user(text('more'))], null).isNew).toBe(true);
  });

  it('reports unknown loops as not open', () => {
    const { tracker } = setup();
    expect(tracker.isOpen('loop-404')).toBe(false);
    tracker.close('loop-404');
    expect(tracker.place('s1', [user(text('q'))], null).loopId).toBe('loop-1');
  });
});
