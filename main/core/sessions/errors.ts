// Turns what the MCP SDK throws into StewardErrors with stable codes.
import {
  InsufficientScopeError,
  IssuerMismatchError,
  OAuthClientFlowError,
  OAuthError,
  ProtocolError,
  SdkError,
  SdkErrorCode,
  SdkHttpError,
  UnauthorizedError,
} from '@modelcontextprotocol/client';
import { StewardError } from '../../../shared/errors.js';

/** JSON-RPC error code a transport uses for a reply refused because of its size. */
export const MESSAGE_TOO_LARGE_CODE = -32001;
/**
 * The method of the stand-in a transport delivers for a server's request too large to read: the host answers it, by
 * the request's own id, with an error saying why (params: the request's method when known, its size, the limit).
 */
export const OVERSIZED_REQUEST = 'steward/oversized-request';
/** The server does not speak the protocol version asked for (MCP 2026-07-28, also answered to a 2025 initialize). */
export const UNSUPPORTED_PROTOCOL_VERSION = -32022;
/** The server needs the user to finish a URL elicitation before it can answer (MCP 2025-11-25). */
export const URL_ELICITATION_REQUIRED = -32042;

export function isSessionExpired(error: unknown): boolean {
  return error instanceof SdkHttpError && error.status === 404;
}

export function toStewardError(error: unknown, what: string, cancelled = false): StewardError {
  if (error instanceof StewardError) return error;
  if (cancelled) return new StewardError('cancelled', `${what} was cancelled.`);
  // The sign-in page is waiting in the inbox (or the token was refused and a new sign-in is needed).
  if (error instanceof UnauthorizedError)
    return new StewardError('auth_required', `${what} needs you to sign in to the server first; the sign-in is in your inbox.`);
  if (error instanceof InsufficientScopeError)
    return new StewardError('auth_required', `${what} needs more access than you granted (${error.message}); sign in again to grant it.`);
  if (error instanceof IssuerMismatchError) {
    return new StewardError('auth_failed', `${what} failed while signing in: ${error.message}`, {
      issuerMismatch: { kind: error.kind, expected: error.expected ?? null, received: error.received ?? null },
    });
  }
  if (error instanceof OAuthError || error instanceof OAuthClientFlowError)
    return new StewardError('auth_failed', `${what} failed while signing in: ${error.message}`);
  if (error instanceof Error && /code challenge method S256/i.test(error.message)) {
    return new StewardError(
      'auth_failed',
      `${what} failed: the server's authorization server does not support PKCE with S256, so Steward will not sign in there.`,
    );
  }
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  if (cause instanceof StewardError) return cause;
  if (error instanceof ProtocolError) {
    if (error.code === MESSAGE_TOO_LARGE_CODE) return new StewardError('message_too_large', `${what} failed: ${error.message}`);
    if (error.code === URL_ELICITATION_REQUIRED) {
      const data = error.data as { elicitations?: unknown } | undefined;
      return new StewardError('elicitation_required', `${what} needs you to open a page in your browser first: ${error.message}`, {
        rpcCode: error.code,
        elicitations: Array.isArray(data?.elicitations) ? data.elicitations : [],
      });
    }
    if (error.code === UNSUPPORTED_PROTOCOL_VERSION) return unsupportedVersion(error.data);
    return new StewardError('tool_call_failed', `${what} failed: the server answered with error ${error.code}: ${error.message}`, {
      rpcCode: error.code,
    });
  }
  if (error instanceof SdkError) {
    switch (error.code) {
      case SdkErrorCode.RequestTimeout:
        return new StewardError('timeout', `${what} timed out.`);
      case SdkErrorCode.ConnectionClosed:
      case SdkErrorCode.NotConnected:
        return new StewardError('server_exited', `${what} failed: the connection to the server closed.`);
      case SdkErrorCode.EraNegotiationFailed:
        // A server that exits (or closes its pipe) while being probed has not refused an era: it stopped.
        if (/connection closed|closed during/i.test(error.message)) {
          return new StewardError('server_exited', `${what} failed: the connection to the server closed.`);
        }
        // Nor has one that could not be reached at all.
        if (/fetch failed|ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET/i.test(error.message)) {
          return new StewardError('connect_failed', `${what} failed: the server could not be reached (${error.message}).`);
        }
        return new StewardError('unsupported_protocol_version', `The server does not speak the MCP era this server is set to: ${error.message}`);
      default:
        return new StewardError('protocol_error', `${what} failed: ${error.message}`);
    }
  }
  if (error instanceof SdkHttpError && /"code":\s*-32022\b/.test(error.message)) return unsupportedVersion(undefined);
  const message = error instanceof Error ? error.message : String(error);
  if (/protocol version is not supported/i.test(message)) {
    return new StewardError('unsupported_protocol_version', `The server speaks an MCP version Steward does not support (${message}).`);
  }
  if (/fetch failed|ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET/i.test(message)) {
    return new StewardError('connect_failed', `${what} failed: the server could not be reached (${message}).`);
  }
  return new StewardError('protocol_error', `${what} failed: ${message}`);
}

/**
 * A question a 2026-07-28 server put in a result (inputRequests) that got no answer: an input response cannot carry an
 * error, so the request it belongs to cannot go on, and the error says which question and why.
 */
export function unanswered(method: string, error: unknown): StewardError {
  const why = error instanceof Error ? error.message : String(error);
  const what =
    method === 'sampling/createMessage'
      ? 'request to use the model'
      : method === 'elicitation/create'
        ? 'question'
        : method === 'roots/list'
          ? 'request for the folders it may use'
          : `request "${method}"`;
  return new StewardError('tool_call_failed', `The server's ${what} was not answered, so its request cannot go on: ${why}`, { unanswered: method });
}

/** A -32022 answer: the versions the server named, when it named them (as plain text, never trusted further). */
function unsupportedVersion(data: unknown): StewardError {
  const supported = (data as { supported?: unknown } | undefined)?.supported;
  const named = Array.isArray(supported) ? supported.filter((v): v is string => typeof v === 'string' && /^[\w.-]{1,32}$/.test(v)).slice(0, 10) : [];
  return new StewardError(
    'unsupported_protocol_version',
    named.length > 0
      ? `The server does not speak the MCP version Steward asked for; it speaks ${named.join(', ')}. Set the server's era to auto (steward servers era NAME auto).`
      : `The server does not speak the MCP version Steward asked for. Set the server's era to auto (steward servers era NAME auto).`,
  );
}
