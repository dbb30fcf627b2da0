// How large a payload is on its way to the host, in the UTF-8 bytes the socket carries, measured only when it could be
// too large: most are a few hundred characters and cost nothing to check.

/** The UTF-8 length of `text` when it is over `max`, else undefined. */
export function bytesOver(text: string, max: number): number | undefined {
  if (text.length * 3 <= max) return undefined;
  const bytes = new TextEncoder().encode(text).byteLength;
  return bytes > max ? bytes : undefined;
}
