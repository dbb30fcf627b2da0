// How Steward's own HTTP listeners (browser mode, the sign-in redirect) read a request target: strictly, and never by
// resolving it as a URL, so "//host/x" cannot become another host and bad percent-encoding cannot throw.

const MAX_TARGET = 8192;

export interface RequestTarget {
  /** The path as sent, before decoding. */
  rawPath: string;
  /** The percent-decoded path. */
  path: string;
  query: URLSearchParams;
}

/** The origin form ("/path?query") only, decodable, without control characters or backslashes; otherwise undefined. */
export function requestTarget(raw: string | undefined): RequestTarget | undefined {
  if (!raw?.startsWith('/') || raw.length > MAX_TARGET) return undefined;
  const q = raw.indexOf('?');
  const rawPath = q === -1 ? raw : raw.slice(0, q);
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
  if (/[\u0000-\u001f\u007f\\]/.test(path)) return undefined;
  return { rawPath, path, query: new URLSearchParams(q === -1 ? '' : raw.slice(q + 1)) };
}
