// The start of a text as a string of its own. V8 may give `slice` as a view into the string it came from, keeping all of
// it alive: 8 KB kept of a 1 MB message would hold the whole megabyte for as long as the 8 KB is kept.

/** Where to cut `text` to keep at most `maxChars` characters of it, never between the halves of a surrogate pair. */
export function cutAt(text: string, maxChars: number): number {
  if (text.length <= maxChars) return text.length;
  const end = Math.max(0, maxChars);
  return end > 0 && isHighSurrogate(text.charCodeAt(end - 1)) ? end - 1 : end;
}

/**
 * The first `maxChars` characters of `text` (cut as cutAt says), copied so that nothing else stays alive with them.
 * Decoding bytes always makes a new flat string; a lone surrogate, which UTF-8 cannot carry, becomes U+FFFD.
 */
export function copyOf(text: string, maxChars: number = text.length): string {
  const end = cutAt(text, maxChars);
  return Buffer.from(end === text.length ? text : text.slice(0, end), 'utf8').toString('utf8');
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
