// Every request the OAuth flow makes to a URL a server supplied (metadata, authorization server, token, registration)
// is judged first: https only, and nothing on this computer or a private network unless the MCP server itself runs on
// this computer (a local development setup). The same checks apply to the sign-in page the browser opens.
import type { FetchLike } from '@modelcontextprotocol/client';
import { StewardError } from '../../../shared/errors.js';
import { isLoopbackHost, judgeUrl, type UrlVerdict } from '../security/index.js';

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
