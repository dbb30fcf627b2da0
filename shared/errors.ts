// Errors as values: every failure a user or script can see has a stable code and one human sentence.

export const ERROR_CODES = [
  'invalid_payload',
  'unknown_channel',
  'not_found',
  'name_taken',
  'config_invalid',
  'import_failed',
  'command_line_refused',
  'command_not_found',
  'cwd_invalid',
  'sandbox_unavailable',
  'grant_refused',
  'runtime_missing',
  'package_not_found',
  'registry_unreachable',
  'download_failed',
  'bundle_invalid',
  'bundle_incompatible',
  'consent_required',
  'consent_denied',
  'consent_mismatch',
  'spawn_failed',
  'server_crashed',
  'server_exited',
  'server_not_running',
  'connect_failed',
  'protocol_error',
  'message_too_large',
  'limit_reached',
  'unsupported_protocol_version',
  'tool_call_failed',
  'timeout',
  'cancelled',
  'not_supported',
  'elicitation_required',
  'auth_required',
  'auth_failed',
  'owner_unreachable',
  'secrets_unreadable',
  'rate_limited',
  'not_allowed',
  'internal_error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class StewardError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'StewardError';
    this.code = code;
    this.details = details;
  }
}

export function isStewardError(value: unknown): value is StewardError {
  return value instanceof StewardError;
}

/** The shape every failure takes when it crosses a boundary (IPC, WebSocket, CLI JSON). */
export interface Failure {
  ok: false;
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export interface Success<T> {
  ok: true;
  data: T;
}

export type Outcome<T> = Success<T> | Failure;

export function toFailure(error: unknown): Failure {
  if (isStewardError(error)) {
    return error.details === undefined
      ? { ok: false, code: error.code, message: error.message }
      : { ok: false, code: error.code, message: error.message, details: error.details };
  }
  return { ok: false, code: 'internal_error', message: 'Steward hit an unexpected error; details are in the host log.' };
}

/** A value the code knows is there (a row it just wrote, a process that has spawned); its absence is Steward's own bug. */
export function present<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new StewardError('internal_error', `Steward expected ${what}, and it is missing.`);
  return value;
}
