// The round machine as a pure function: every state a round can rest in, crossed with every event it can meet, checked
// against the round's allowed transitions (received -> checked -> waiting -> sent -> reviewing -> replied / denied /
// failed / interrupted), with every step saying who decided and why, and the server answered exactly once.
import { describe, expect, it } from 'vitest';
import { ROUND_STATUSES, type AskReason, type RoundStatus } from '../../../shared/domain/sampling.js';
import {
  isFinal,
  received,
  ROUND_TRANSITIONS,
  roundTransition,
  type Grant,
  type RoundEvent,
  type RoundState,
} from '../../../main/core/sampling/round-machine.js';
import type { Verdict } from '../../../main/core/sampling/policy.js';

const at = '2026-03-01T09:00:00.000Z';
const POLICY: AskReason = { code: 'policy', message: 'Your policy for this server is to ask every time.' };
const BUDGET: AskReason = { code: 'max_tokens', message: 'It asks for up to 5000 tokens; the limit per request is 1000.' };

const VERDICTS: Verdict[] = [
  { action: 'allow', by: 'policy' },
  { action: 'allow', by: 'loop_grant' },
  { action: 'allow', by: 'session_grant' },
  { action: 'ask', reasons: [POLICY] },
  { action: 'ask', reasons: [BUDGET] },
  { action: 'deny', reason: 'Sampling is turned off for this server.' },
  { action: 'refuse', reason: '5 sampling requests from this server are already waiting for the user; try again later.' },
];
const GRANTS: Grant[] = ['once', 'loop', 'session', 'always'];

const EVENTS: RoundEvent[] = [
  ...VERDICTS.flatMap((verdict) =>
    [false, true].flatMap((review) =>
      [null, { edits: { systemPrompt: 'kept' }, fromRound: 1 }].map((kept): RoundEvent => ({ type: 'checked', at, verdict, review, kept })),
    ),
  ),
  ...(['user', 'unattended'] as const).flatMap((by) =>
    GRANTS.flatMap((grant) =>
      [
        { decision: 'approve' as const, edits: null, keep: false, manual: false },
        { decision: 'approve' as const, edits: { systemPrompt: 'edited', maxTokens: 50 }, keep: true, manual: false },
        { decision: 'approve' as const, edits: { lastUserText: 'edited' }, keep: false, manual: false },
        { decision: 'approve' as const, edits: null, keep: false, manual: true },
        { decision: 'deny' as const, edits: null, keep: false, manual: false },
      ].map((d): RoundEvent => ({ type: 'decided', at, by, grant, ...d })),
    ),
  ),
  { type: 'edits_refused', at, message: 'The request has no user message to edit.' },
  { type: 'model_replied', at },
  { type: 'model_failed', at, message: 'The model provider answered 529: overloaded' },
  ...(['user', 'unattended'] as const).flatMap((by) =>
    (['send', 'deny'] as const).flatMap((decision) => [false, true].map((edited): RoundEvent => ({ type: 'reviewed', at, by, decision, edited }))),
  ),
  { type: 'withdrawn', at, why: 'The server cancelled the request.' },
  { type: 'host_stopped', at },
];

/** A round resting in each status (never "checked": the verdict follows the check at once), with and without review and kept edits. */
function states(): RoundState[] {
  const out: RoundState[] = [];
  for (const status of ROUND_STATUSES) {
    if (status === 'checked') continue;
    for (const review of [false, true])
      for (const kept of [null, { edits: { maxTokens: 300 }, fromRound: 2 }])
        out.push({ ...received(at), status, review, kept, decidedBy: status === 'received' || status === 'waiting' ? null : 'policy' });
  }
  return out;
}

const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === 'object') {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
};

describe('the round machine, every state against every event', () => {
  const cases = states().flatMap((state) => EVENTS.map((event) => ({ state, event })));

  it('covers the whole space', () => {
    expect(states()).toHaveLength(32);
    expect(EVENTS.length).toBe(28 + 40 + 3 + 8 + 2);
  });

  it('moves only along the allowed transitions, and never out of a final status', () => {
    for (const { state, event } of cases) {
      const { state: next } = roundTransition(deepFreeze(state), event);
      if (isFinal(state.status)) expect(next).toBe(state);
      if (next.status === state.status) continue;
      const why = `${state.status} + ${event.type} -> ${next.status}`;
      expect(ROUND_TRANSITIONS[state.status].includes(next.status), why).toBe(true);
      // Passing through "checked" on the way is allowed only from "received".
      if (next.steps.some((s, i) => i >= state.steps.length && s.to === 'checked')) expect(state.status).toBe('received');
    }
  });

  it('records a step for every move, with who decided and why, and only appends to the steps', () => {
    for (const { state, event } of cases) {
      const { state: next } = roundTransition(deepFreeze(state), event);
      expect(next.steps.slice(0, state.steps.length)).toEqual(state.steps);
      if (next.status === state.status) {
        expect(next.steps).toHaveLength(state.steps.length);
        continue;
      }
      const added = next.steps.slice(state.steps.length);
      expect(added.at(-1)?.to).toBe(next.status);
      for (const s of added) {
        expect(s.why.length).toBeGreaterThan(5);
        expect(s.at).toBe(at);
      }
    }
  });

  it('answers the server exactly once, when the round ends, and only then', () => {
    for (const { state, event } of cases) {
      const { state: next, effects } = roundTransition(deepFreeze(state), event);
      const answers = effects.filter((e) => e.type === 'answer' || e.type === 'refuse');
      if (isFinal(next.status) && !isFinal(state.status)) {
        // A Steward that stopped answers nobody: the server's connection went with it.
        expect(answers).toHaveLength(event.type === 'host_stopped' ? 0 : 1);
        if (next.status === 'replied') expect(answers[0]?.type).toBe('answer');
        else if (answers[0]) expect(answers[0].type).toBe('refuse');
      } else expect(answers).toEqual([]);
    }
  });

  it('asks the model only on the way into "sent", and never for a round already sent', () => {
    for (const { state, event } of cases) {
      const { state: next, effects } = roundTransition(deepFreeze(state), event);
      const calls = effects.filter((e) => e.type === 'call_model');
      expect(calls.length).toBe(next.status === 'sent' && state.status !== 'sent' ? 1 : 0);
    }
  });

  it('names the decider of each decisive step: the policy, a grant, a budget hold, the user, the command line, the server or Steward', () => {
    for (const { state, event } of cases) {
      const { state: next } = roundTransition(deepFreeze(state), event);
      const added = next.steps.slice(state.steps.length);
      for (const s of added) {
        if (event.type === 'decided' || event.type === 'reviewed') {
          if (s.to !== 'checked') expect(s.by).toBe(event.by);
        }
        if (event.type === 'checked' && s.to !== 'checked') {
          const v = event.verdict;
          const expected =
            v.action === 'allow'
              ? v.by
              : v.action === 'ask'
                ? v.reasons.some((r) => r.code !== 'policy')
                  ? 'budget'
                  : 'policy'
                : v.action === 'deny'
                  ? 'policy'
                  : 'host';
          expect(s.by).toBe(expected);
        }
        if (event.type === 'withdrawn') expect(s.by).toBe('server');
        if (event.type === 'host_stopped' || event.type === 'model_failed') expect(s.by).toBe('host');
      }
    }
  });

  it('puts a person’s decision on record before anything is sent or answered', () => {
    for (const { state, event } of cases) {
      const { effects } = roundTransition(deepFreeze(state), event);
      if (event.type !== 'decided' && event.type !== 'reviewed') continue;
      const audit = effects.findIndex((e) => e.type === 'audit');
      const acts = effects.findIndex((e) => e.type === 'call_model' || e.type === 'answer' || e.type === 'refuse');
      if (acts >= 0) {
        expect(audit).toBeGreaterThanOrEqual(0);
        expect(audit).toBeLessThan(acts);
        const entry = effects[audit];
        expect(entry?.type === 'audit' && entry.now && entry.actor === event.by).toBe(true);
      }
    }
  });

  it('is pure: the same input gives the same output, and the input is never changed', () => {
    for (const { state, event } of cases) {
      const frozen = deepFreeze(structuredClone(state));
      expect(roundTransition(frozen, event)).toEqual(roundTransition(structuredClone(state), event));
    }
  });
});

function walk(events: RoundEvent[], start: RoundState = received(at)) {
  let state = start;
  const kinds: string[] = [];
  for (const event of events) {
    const t = roundTransition(state, event);
    state = t.state;
    kinds.push(...t.effects.map((e) => (e.type === 'audit' ? `audit:${e.kind}:${e.actor}` : e.type)));
  }
  return { state, kinds, path: state.steps.map((s) => `${s.to}/${s.by}`) };
}

const decided = (over: Partial<Extract<RoundEvent, { type: 'decided' }>> = {}): RoundEvent => ({
  type: 'decided',
  at,
  by: 'user',
  decision: 'approve',
  grant: 'once',
  edits: null,
  keep: false,
  manual: false,
  ...over,
});

describe('the rounds a user sees', () => {
  it('auto-approved within budget: policy sends, the model answers, the server gets it', () => {
    const { state, path, kinds } = walk([
      { type: 'checked', at, verdict: { action: 'allow', by: 'policy' }, review: false, kept: null },
      { type: 'model_replied', at },
    ]);
    expect(path).toEqual(['received/server', 'checked/host', 'sent/policy', 'replied/host']);
    expect(state.decidedBy).toBe('policy');
    expect(kinds).toEqual(['call_model', 'audit:sampling.approved:policy', 'audit:sampling.replied:host', 'answer', 'loop_replied']);
  });

  it('a loop grant is the grant’s doing, not the policy’s', () => {
    expect(walk([{ type: 'checked', at, verdict: { action: 'allow', by: 'loop_grant' }, review: false, kept: null }]).state.decidedBy).toBe('loop_grant');
  });

  it('a budget hold waits for the user with the budget named; the user sends it with edits', () => {
    const { state, path } = walk([
      { type: 'checked', at, verdict: { action: 'ask', reasons: [BUDGET] }, review: false, kept: null },
      decided({ edits: { maxTokens: 900 } }),
    ]);
    expect(path).toEqual(['received/server', 'checked/host', 'waiting/budget', 'sent/user']);
    expect(state.steps[2]?.why).toContain('the limit per request is 1000');
    expect(state.edits).toEqual([{ at, edits: { maxTokens: 900 }, keptFromRound: null, keep: false }]);
  });

  it('a reviewed round ends in a final state: replied when sent (changed or not), denied when withheld', () => {
    const reviewed = [
      { type: 'checked', at, verdict: { action: 'allow', by: 'policy' }, review: true, kept: null },
      { type: 'model_replied', at },
    ] satisfies RoundEvent[];
    expect(walk([...reviewed, { type: 'reviewed', at, by: 'user', decision: 'send', edited: true }]).path.slice(-2)).toEqual([
      'reviewing/policy',
      'replied/user',
    ]);
    expect(walk([...reviewed, { type: 'reviewed', at, by: 'user', decision: 'deny', edited: false }]).state).toMatchObject({
      status: 'denied',
      decidedBy: 'user',
    });
  });

  it('the command line’s refusal is its own, not the user’s', () => {
    const { state, kinds } = walk([
      { type: 'checked', at, verdict: { action: 'ask', reasons: [POLICY] }, review: false, kept: null },
      decided({ by: 'unattended', decision: 'deny' }),
    ]);
    expect(state).toMatchObject({ status: 'denied', decidedBy: 'unattended' });
    expect(kinds).toContain('audit:sampling.denied:unattended');
  });

  it('edits kept for the loop apply to later rounds and say where they came from; unticking stops them', () => {
    const kept = { edits: { systemPrompt: 'Be terse.' }, fromRound: 1 };
    const auto = walk([{ type: 'checked', at, verdict: { action: 'allow', by: 'loop_grant' }, review: false, kept }]);
    expect(auto.state.edits).toEqual([{ at, edits: { systemPrompt: 'Be terse.' }, keptFromRound: 1, keep: true }]);
    const asked = walk([{ type: 'checked', at, verdict: { action: 'ask', reasons: [POLICY] }, review: false, kept }, decided({ keep: true })]);
    expect(asked.state.edits).toEqual([{ at, edits: { systemPrompt: 'Be terse.' }, keptFromRound: 1, keep: true }]);
    expect(asked.kinds).toContain('keep_edits');
    const dropped = walk([
      { type: 'checked', at, verdict: { action: 'ask', reasons: [POLICY] }, review: false, kept },
      decided({ edits: { systemPrompt: 'Other.' } }),
    ]);
    expect(dropped.kinds.filter((k) => k === 'keep_edits')).toHaveLength(1);
  });

  it('a request the server withdraws is interrupted by the server; one a stopped Steward left, by Steward', () => {
    expect(
      walk([
        { type: 'checked', at, verdict: { action: 'ask', reasons: [POLICY] }, review: false, kept: null },
        { type: 'withdrawn', at, why: 'The server cancelled the request.' },
      ]).path.at(-1),
    ).toBe('interrupted/server');
    expect(walk([{ type: 'host_stopped', at }], { ...received(at), status: 'reviewing' as RoundStatus }).path.at(-1)).toBe('interrupted/host');
  });
});
