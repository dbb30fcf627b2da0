// A sampling round's life as one pure transition function, (state, event) -> (next state, effects). The service only
// applies the effects: the round's record (steps, who decided, why), its audit lines and what the UI shows follow from them.
import {
  FINAL_ROUND_STATUSES,
  type AskReason,
  type Decider,
  type RoundEdit,
  type RoundStatus,
  type RoundStep,
  type SamplingEdits,
} from '../../../shared/domain/sampling.js';
import type { AuditKind } from '../../../shared/domain/audit.js';
import { LIMIT_REACHED_CODE } from '../limits.js';
import type { Verdict } from './policy.js';

export interface RoundState {
  status: RoundStatus;
  /** Who let the round go to the model, or stopped it. */
  decidedBy: Decider | null;
  steps: readonly RoundStep[];
  edits: readonly RoundEdit[];
  /** The policy asked for the reply to be reviewed (as it stood when the round was checked). */
  review: boolean;
  /** Edits the user kept for the loop in an earlier round; they apply unless the user changes them. */
  kept: { edits: SamplingEdits; fromRound: number } | null;
  error: string | null;
}

export type Grant = 'once' | 'loop' | 'session' | 'always';

export type RoundEvent =
  | { type: 'checked'; at: string; verdict: Verdict; review: boolean; kept: { edits: SamplingEdits; fromRound: number } | null }
  | {
      type: 'decided';
      at: string;
      by: 'user' | 'unattended';
      decision: 'approve' | 'deny';
      grant: Grant;
      edits: SamplingEdits | null;
      keep: boolean;
      manual: boolean;
    }
  | { type: 'edits_refused'; at: string; message: string }
  | { type: 'model_replied'; at: string }
  | { type: 'model_failed'; at: string; message: string }
  | { type: 'reviewed'; at: string; by: 'user' | 'unattended'; decision: 'send' | 'deny'; edited: boolean }
  | { type: 'withdrawn'; at: string; why: string }
  | { type: 'host_stopped'; at: string };

export type RoundEffect =
  /** Put the request to the user (inbox), with the reasons. */
  | { type: 'ask'; reasons: AskReason[] }
  | { type: 'ask_review' }
  /** Take the question (or the review) out of the inbox. */
  | { type: 'withdraw' }
  | { type: 'grant'; grant: 'loop' | 'session' | 'always' }
  /** Keep these edits for the rest of the loop (null: keep none from now on). */
  | { type: 'keep_edits'; edits: SamplingEdits | null }
  /** Send the request, with these edits applied, to the model. */
  | { type: 'call_model'; edits: SamplingEdits | null }
  | { type: 'stop_model' }
  /** Answer the server with the reply as returned. */
  | { type: 'answer' }
  /** Answer the server with an error. */
  | { type: 'refuse'; code: number; message: string }
  /** An audit line; `now` when it must be on record before anything is sent or answered (a person's decision). */
  | { type: 'audit'; kind: AuditKind; actor: Decider; summary: string; now: boolean }
  /** The loop continues from this round's messages and reply. */
  | { type: 'loop_replied' }
  | { type: 'close_loop' };

export interface RoundTransition {
  state: RoundState;
  effects: RoundEffect[];
}

/** JSON-RPC code the spec suggests for a request the user rejected. */
export const USER_REJECTED = -1;
/** The code for a request refused because too many wait (the limits' code for every cap): the server may try again later. */
export const TOO_MANY_WAITING = LIMIT_REACHED_CODE;
export const REQUEST_CANCELLED = -32800;
export const MODEL_FAILED = -32603;

/** Where each status may go. "checked" is passed through, never rested in: the verdict follows the check at once. */
export const ROUND_TRANSITIONS: Readonly<Record<RoundStatus, readonly RoundStatus[]>> = {
  received: ['checked', 'waiting', 'sent', 'denied', 'interrupted'],
  checked: ['waiting', 'sent', 'denied'],
  waiting: ['sent', 'replied', 'denied', 'interrupted'],
  sent: ['reviewing', 'replied', 'failed', 'interrupted'],
  reviewing: ['replied', 'denied', 'interrupted'],
  replied: [],
  denied: [],
  failed: [],
  interrupted: [],
};

const STOPPED = 'The Steward process answering this request stopped before it was answered.';

export const isFinal = (status: RoundStatus): boolean => FINAL_ROUND_STATUSES.includes(status);

/** A round as it arrives. */
export function received(at: string): RoundState {
  return {
    status: 'received',
    decidedBy: null,
    steps: [{ at, to: 'received', by: 'server', why: 'The server sent the request.' }],
    edits: [],
    review: false,
    kept: null,
    error: null,
  };
}

const GRANT_WORDS: Record<Grant, string> = {
  once: '',
  loop: ', and allowed the rest of this loop',
  session: ', and allowed this server for the session',
  always: ', and set this server to allow within budget',
};

const ALLOWED_BY: Record<'policy' | 'loop_grant' | 'session_grant', string> = {
  policy: 'Your policy for this server allows requests within budget.',
  loop_grant: 'You allowed the rest of this loop earlier.',
  session_grant: 'You allowed this server for the session earlier.',
};

export function roundTransition(state: RoundState, event: RoundEvent): RoundTransition {
  if (isFinal(state.status)) return { state, effects: [] };
  switch (event.type) {
    case 'checked':
      return state.status === 'received' ? checked(state, event) : { state, effects: [] };
    case 'decided':
      return state.status === 'waiting' ? decided(state, event) : { state, effects: [] };
    case 'edits_refused':
      if (state.status !== 'sent') return { state, effects: [] };
      return {
        state: step(state, event.at, 'failed', 'host', `The edits could not be applied: ${event.message}`, { error: event.message }),
        effects: [{ type: 'refuse', code: -32602, message: event.message }, { type: 'close_loop' }],
      };
    case 'model_replied':
      if (state.status !== 'sent') return { state, effects: [] };
      if (state.review) {
        return {
          state: step(state, event.at, 'reviewing', 'policy', 'Your policy for this server is to review replies before they go back.'),
          effects: [{ type: 'ask_review' }],
        };
      }
      return {
        state: step(state, event.at, 'replied', 'host', 'The model answered, and the reply went back to the server.'),
        effects: [
          { type: 'audit', kind: 'sampling.replied', actor: 'host', summary: 'The model answered.', now: false },
          { type: 'answer' },
          { type: 'loop_replied' },
        ],
      };
    case 'model_failed':
      if (state.status !== 'sent') return { state, effects: [] };
      return {
        state: step(state, event.at, 'failed', 'host', `The model request failed: ${event.message}`, { error: event.message }),
        effects: [
          { type: 'audit', kind: 'sampling.failed', actor: 'host', summary: event.message, now: true },
          { type: 'refuse', code: MODEL_FAILED, message: `The model request failed: ${event.message}` },
          { type: 'close_loop' },
        ],
      };
    case 'reviewed':
      if (state.status !== 'reviewing') return { state, effects: [] };
      if (event.decision === 'send') {
        const why = event.edited ? 'You sent the reply, as you changed it.' : 'You sent the reply.';
        return {
          state: step(state, event.at, 'replied', event.by, why),
          effects: [
            { type: 'withdraw' },
            { type: 'audit', kind: 'sampling.replied', actor: event.by, summary: why, now: true },
            { type: 'answer' },
            { type: 'loop_replied' },
          ],
        };
      }
      return {
        state: step(
          state,
          event.at,
          'denied',
          event.by,
          event.by === 'user' ? 'You did not send the reply.' : 'The reply needed review, which the command line cannot show; it was withheld.',
          { decidedBy: event.by, error: 'The reply was not sent.' },
        ),
        effects: [
          { type: 'withdraw' },
          { type: 'audit', kind: 'sampling.denied', actor: event.by, summary: 'The reply was withheld.', now: true },
          { type: 'refuse', code: USER_REJECTED, message: 'User rejected the model reply' },
          { type: 'close_loop' },
        ],
      };
    case 'withdrawn':
      return {
        state: step(state, event.at, 'interrupted', 'server', event.why, { error: event.why }),
        effects: [
          { type: 'withdraw' },
          ...(state.status === 'sent' ? [{ type: 'stop_model' } as const] : []),
          { type: 'refuse', code: REQUEST_CANCELLED, message: event.why },
        ],
      };
    case 'host_stopped':
      return {
        state: step(state, event.at, 'interrupted', 'host', STOPPED, { error: STOPPED }),
        effects: [],
      };
  }
}

function checked(state: RoundState, event: Extract<RoundEvent, { type: 'checked' }>): RoundTransition {
  const valid = step({ ...state, review: event.review, kept: event.kept }, event.at, 'checked', 'host', 'The request is valid.');
  const { verdict } = event;
  switch (verdict.action) {
    case 'allow': {
      const edits = event.kept ? [{ at: event.at, edits: event.kept.edits, keptFromRound: event.kept.fromRound, keep: true }] : [];
      const why = ALLOWED_BY[verdict.by] + (event.kept ? ` Your edits from round ${event.kept.fromRound} are kept.` : '');
      return {
        state: step({ ...valid, edits: [...valid.edits, ...edits] }, event.at, 'sent', verdict.by, why, { decidedBy: verdict.by }),
        effects: [
          { type: 'call_model', edits: event.kept?.edits ?? null },
          { type: 'audit', kind: 'sampling.approved', actor: verdict.by, summary: why, now: false },
        ],
      };
    }
    case 'ask': {
      const by: Decider = verdict.reasons.some((r) => r.code !== 'policy') ? 'budget' : 'policy';
      return {
        state: step(valid, event.at, 'waiting', by, verdict.reasons.map((r) => r.message).join(' ')),
        effects: [{ type: 'ask', reasons: verdict.reasons }],
      };
    }
    case 'deny':
      return {
        state: step(valid, event.at, 'denied', 'policy', verdict.reason, { decidedBy: 'policy', error: verdict.reason }),
        effects: [
          { type: 'audit', kind: 'sampling.denied', actor: 'policy', summary: verdict.reason, now: true },
          { type: 'refuse', code: USER_REJECTED, message: verdict.reason },
          // A policy denial ends the loop.
          { type: 'close_loop' },
        ],
      };
    case 'refuse':
      // A request refused in a flood leaves its loop to the other rounds.
      return {
        state: step(valid, event.at, 'denied', 'host', verdict.reason, { decidedBy: 'host', error: verdict.reason }),
        effects: [
          { type: 'audit', kind: 'sampling.denied', actor: 'host', summary: verdict.reason, now: true },
          { type: 'refuse', code: TOO_MANY_WAITING, message: verdict.reason },
        ],
      };
  }
}

function decided(state: RoundState, event: Extract<RoundEvent, { type: 'decided' }>): RoundTransition {
  if (event.decision === 'deny') {
    const why = event.by === 'user' ? 'You denied the request.' : 'The command line cannot show the request to you, so it refused it.';
    return {
      state: step(state, event.at, 'denied', event.by, why, { decidedBy: event.by, error: event.by === 'user' ? 'Denied by the user.' : why }),
      effects: [
        { type: 'withdraw' },
        { type: 'audit', kind: 'sampling.denied', actor: event.by, summary: why, now: true },
        { type: 'refuse', code: USER_REJECTED, message: 'User rejected sampling request' },
        { type: 'close_loop' },
      ],
    };
  }
  const grants: RoundEffect[] = event.grant === 'once' ? [] : [{ type: 'grant', grant: event.grant }];
  if (event.manual) {
    const why = 'You wrote the reply yourself.';
    return {
      state: step(state, event.at, 'replied', event.by, why, { decidedBy: event.by }),
      effects: [
        { type: 'withdraw' },
        ...grants,
        { type: 'audit', kind: 'sampling.approved', actor: event.by, summary: why, now: true },
        { type: 'answer' },
        { type: 'loop_replied' },
      ],
    };
  }
  const own = event.edits && Object.keys(event.edits).length > 0 ? event.edits : null;
  // The user's own edits, or else those kept from an earlier round of the loop.
  const entry: RoundEdit | null = own
    ? { at: event.at, edits: own, keptFromRound: null, keep: event.keep }
    : state.kept
      ? { at: event.at, edits: state.kept.edits, keptFromRound: state.kept.fromRound, keep: event.keep }
      : null;
  const why = `You approved it${own ? ' with edits' : entry ? ` with your edits from round ${state.kept?.fromRound ?? ''}` : ''}${GRANT_WORDS[event.grant]}.`;
  const keep: RoundEffect[] =
    event.keep && entry ? [{ type: 'keep_edits', edits: keptPart(entry.edits) }] : !event.keep && state.kept ? [{ type: 'keep_edits', edits: null }] : [];
  return {
    state: step({ ...state, edits: entry ? [...state.edits, entry] : state.edits }, event.at, 'sent', event.by, why, { decidedBy: event.by }),
    effects: [
      { type: 'withdraw' },
      ...grants,
      ...keep,
      // A person's decision is on record before anything is sent.
      { type: 'audit', kind: 'sampling.approved', actor: event.by, summary: why, now: true },
      { type: 'call_model', edits: entry?.edits ?? null },
    ],
  };
}

/** The edits that can carry over to later rounds: the system prompt and max tokens (the last user message is this round's). */
export function keptPart(edits: SamplingEdits): SamplingEdits | null {
  const kept: SamplingEdits = {
    ...(edits.systemPrompt !== undefined ? { systemPrompt: edits.systemPrompt } : {}),
    ...(edits.maxTokens !== undefined ? { maxTokens: edits.maxTokens } : {}),
  };
  return Object.keys(kept).length > 0 ? kept : null;
}

function step(state: RoundState, at: string, to: RoundStatus, by: Decider, why: string, extra: { decidedBy?: Decider; error?: string } = {}): RoundState {
  return {
    ...state,
    status: to,
    steps: [...state.steps, { at, to, by, why }],
    ...(extra.decidedBy !== undefined ? { decidedBy: extra.decidedBy } : {}),
    ...(extra.error !== undefined ? { error: extra.error } : {}),
  };
}
