// The transport-neutral dispatcher: validate a payload against the contract, call the host, return an Outcome.
import { z } from 'zod';
import { calls, isCallName, type CallName, type CallOutput, type CallParsed } from './contract/index.js';
import { StewardError, toFailure, type Outcome } from './errors.js';

/** A handler answers at once or later; either way the dispatcher awaits it inside its error handling. */
export type Handlers = {
  [K in CallName]: (input: CallParsed<K>) => Promise<CallOutput<K>> | CallOutput<K>;
};

export interface DispatchOptions {
  /** Told about unexpected errors (not StewardErrors), so the transport can log them. */
  onUnexpected?: (channel: string, error: unknown) => void;
}

export type Dispatch = (channel: unknown, payload: unknown) => Promise<Outcome<unknown>>;

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

export function createDispatcher(handlers: Handlers, options: DispatchOptions = {}): Dispatch {
  return async (channel, payload) => {
    if (!isCallName(channel)) {
      const shown = typeof channel === 'string' ? channel.slice(0, 80) : typeof channel;
      return toFailure(new StewardError('unknown_channel', `There is no call named "${shown}".`));
    }
    const spec = calls[channel];
    const parsed = spec.input.safeParse(payload ?? {});
    if (!parsed.success) {
      return toFailure(new StewardError('invalid_payload', `The request for ${channel} is not valid: ${describeIssues(parsed.error).replace(/\.$/, '')}.`));
    }
    try {
      const handler = handlers[channel] as (input: unknown) => unknown;
      const result = await handler(parsed.data);
      const checked = spec.output.safeParse(result);
      if (!checked.success) {
        options.onUnexpected?.(channel, new Error(`result does not match the contract: ${describeIssues(checked.error)}`));
        return toFailure(new StewardError('internal_error', `Steward produced an invalid reply for ${channel}.`));
      }
      return { ok: true, data: checked.data };
    } catch (error) {
      if (!(error instanceof StewardError)) options.onUnexpected?.(channel, error);
      return toFailure(error);
    }
  };
}
