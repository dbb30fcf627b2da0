// Sampling parameters a server sends beside its messages, sorted for the Messages API: what the API takes passes through,
// and what it has no place for is reported, never dropped without a word. A pure function.
import type { ParamNote } from '../../../shared/domain/sampling.js';

/** What the Messages API takes beyond messages, system, tools, max_tokens and stop_sequences (mapped elsewhere). */
export interface SamplingParameters {
  /** metadata.user_id: an opaque id for the person the request is for. */
  userId: string | null;
}

export const NO_PARAMETERS: SamplingParameters = { userId: null };

export interface SortedParameters {
  parameters: SamplingParameters;
  report: ParamNote[];
}

const USER_ID_MAX = 256;

/**
 * The Messages API (version 2026-10-21, as @anthropic-ai/sdk 1.14 types it) has no temperature, top_p or top_k, and
 * its metadata holds only user_id. MCP's metadata is "passed through to the provider", so user_id goes on; every other
 * parameter is named in the report, with what became of it.
 */
export function sortParameters(input: { temperature?: number | undefined; includeContext?: string | undefined; metadata?: unknown }): SortedParameters {
  const parameters: SamplingParameters = { ...NO_PARAMETERS };
  const report: ParamNote[] = [];
  const note = (name: string, value: unknown, text: string) => report.push({ name, value, note: text });

  if (input.temperature !== undefined) {
    note('temperature', input.temperature, 'The Messages API takes no temperature; the model uses its own.');
  }
  if (input.includeContext !== undefined && input.includeContext !== 'none') {
    note('includeContext', input.includeContext, 'Steward adds no context from its servers to a request; it was sent with the messages alone.');
  }
  if (input.metadata === undefined) return { parameters, report };
  if (input.metadata === null || typeof input.metadata !== 'object' || Array.isArray(input.metadata)) {
    note('metadata', input.metadata, 'metadata is not an object, so none of it could be passed on.');
    return { parameters, report };
  }
  for (const [key, value] of Object.entries(input.metadata as Record<string, unknown>)) {
    if (key !== 'user_id') note(`metadata.${key}`, value, 'The Messages API’s metadata holds only user_id; this was not sent.');
    else if (typeof value === 'string' && value.length > 0 && value.length <= USER_ID_MAX) parameters.userId = value;
    else note('metadata.user_id', value, `user_id must be text of 1 to ${USER_ID_MAX} characters; it was not sent.`);
  }
  return { parameters, report };
}
