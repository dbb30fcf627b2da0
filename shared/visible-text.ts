// Text that did not come from Steward, shown so that every character is seen for what it is. A bidi override in a
// command's argument would draw the rest of the line backwards; a zero-width or default-ignorable character draws as
// nothing, so two different values look the same. The terminal printers and the screens that ask the user to decide
// (consent, sign-in) show such characters as visible escapes.

/**
 * C0 and C1 controls, DEL, format characters (bidi overrides and isolates, zero-width spaces and joiners, the BOM, tag
 * characters), line and paragraph separators, lone surrogates, every default-ignorable character (variation selectors,
 * the combining grapheme joiner, Mongolian and Khmer invisibles) and the blank "letters" used to hide text.
 */
export const UNSAFE_CHARS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Default_Ignorable_Code_Point}\u115f\u1160\u3164\uffa0\u2800]/gu;

const NAMED: Record<string, string> = { '\r': '\\r', '\n': '\\n', '\t': '\\t', '\u001b': '\\x1b' };

/** One unsafe character as text anyone can read: `\n`, `\x1b`, `<U+202E>`. */
export function visibleChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  const named = NAMED[ch];
  if (named) return named;
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `\\x${code.toString(16).padStart(2, '0')}`;
  return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/** The text with every unsafe character shown as its escape (newlines and tabs too: for a value on one line). */
export function visibleText(text: string): string {
  return text.replace(UNSAFE_CHARS, visibleChar);
}
