// The headers a user configures for a remote server (an API key, a tenant) go to that server's origin alone. The SDK's
// `requestInit` would add them to every request the transport makes, the sign-in's included: a 401 naming an
// authorization server on another origin would have been sent the server's API key along with its metadata requests.
import type { FetchLike } from '@modelcontextprotocol/client';

/**
 * Wraps a fetch so that requests to `server`'s origin carry the configured headers, under any the SDK set itself (its
 * Authorization, session and protocol headers win, as they did over `requestInit`); requests elsewhere carry none.
 */
export function withServerHeaders(server: URL, headers: Record<string, string>, base: FetchLike): FetchLike {
  const configured = Object.entries(headers);
  if (configured.length === 0) return base;
  return (input, init) => {
    if (!sameServer(server, new URL(input instanceof URL ? input.href : input))) return base(input, init);
    const merged = new Headers(init?.headers);
    for (const [name, value] of configured) if (!merged.has(name)) merged.set(name, value);
    return base(input, { ...init, headers: merged });
  };
}

/**
 * The server's own origin, or its https upgrade on the default port: the redirects the SDK follows within the origin
 * (an http address answering with its https form) keep the server's headers, as they did in `requestInit`.
 */
export function sameServer(server: URL, to: URL): boolean {
  if (server.protocol === to.protocol && server.host === to.host) return true;
  return server.protocol === 'http:' && to.protocol === 'https:' && server.hostname === to.hostname && !server.port && !to.port;
}
