// Every request the OAuth flow makes to a URL a server supplied (metadata, authorization server, token, registration)
// is judged first: https only, and nothing on this computer or a private network unless the MCP server itself runs on
// this computer (a local development setup). The same checks apply to the sign-in page the browser opens.
import type { FetchLike } from '@modelcontextprotocol/client';
import { StewardError } from '../../../shared/errors.js';
import { isLoopbackHost, judgeUrl, type UrlVerdict } from '../security/index.js';
import { totalCap, withBody } from '../http-body.js';

export function serverIsLocal(serverUrl: string): boolean {
  try {
    return isLoopbackHost(new URL(serverUrl).hostname);
  } catch {
    return false;
  }
}

/** The verdict on a URL the auth flow is about to use for a given MCP server: a remote server's rules unless it is local. */
export function judgeAuthUrl(url: string, serverUrl: string): UrlVerdict {
  return judgeUrl(url, serverIsLocal(serverUrl) ? 'local-fetch' : 'remote-fetch');
}

/** fetch for the transport: the MCP server's own origin passes; anything else the server pointed at is judged first. */
export function guardedFetch(serverUrl: string, base: FetchLike = fetch): FetchLike {
  const origin = new URL(serverUrl).origin;
  return (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : (input as Request).url;
    if (URL.parse(url)?.origin !== origin) {
      const verdict = judgeAuthUrl(url, serverUrl);
      if (!verdict.allowed) {
        return Promise.reject(
          new StewardError('auth_failed', `Steward refused to contact ${verdict.display || url} for sign-in: ${verdict.problems.join(' ')}`),
        );
      }
    }
    return base(input, init);
  };
}

/** Sign-in documents and token answers are small: a megabyte is far more than any real one. */
export const SIGN_IN_RESPONSE_BYTES = 1024 * 1024;
/** A sign-in request, its body included, must be answered within this time. */
export const SIGN_IN_REQUEST_MS = 30_000;

/**
 * fetch for the requests of a sign-in itself (the token exchange after the browser comes back, and its discovery): judged
 * as guardedFetch judges them, and bounded, because nothing else bounds them. A server (or the authorization server it
 * names) that answers with a body without end would otherwise fill the host's memory, and one that sends a byte every few
 * minutes would hold the sign-in, its browser tab and its callback connection open for ever.
 */
export function signInFetch(serverUrl: string, limits: { bytes?: number; ms?: number } = {}, base: FetchLike = fetch): FetchLike {
  const guarded = guardedFetch(serverUrl, base);
  const bytes = limits.bytes ?? SIGN_IN_RESPONSE_BYTES;
  const ms = limits.ms ?? SIGN_IN_REQUEST_MS;
  return async (input, init) => {
    const deadline = AbortSignal.timeout(ms);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    let response: Response;
    try {
      response = await guarded(input, { ...init, signal });
    } catch (error) {
      if (deadline.aborted) throw new StewardError('auth_failed', `The authorization server did not answer within ${ms / 1000} s.`);
      throw error;
    }
    // The deadline covers the body too: the signal stops it where it stands.
    return response.body ? withBody(response, response.body.pipeThrough(totalCap(bytes))) : response;
  };
}
