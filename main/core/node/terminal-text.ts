// Text that did not come from Steward (server names, tool descriptions, log lines, results, URLs, config values, error
// texts) is made safe before a terminal shows it: control, bidi and invisible characters are shown as visible escapes.
// The CLI and `steward serve` both print through it. Which characters are unsafe, and how each is shown, is shared with
// the screens (shared/visible-text.ts).
import { UNSAFE_CHARS, visibleChar } from '../../../shared/visible-text.js';

/** The same set as the screens show escaped, minus C0 controls, which JSON escaping already covers. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Default_Ignorable_Code_Point}\u115f\u1160\u3164\uffa0\u2800]/gu;

/**
 * The one function every terminal printer uses (the CLI's and `steward serve`'s). `inline` (a field in a table or a
 * line) shows every unsafe character, newlines and tabs included; `block` (a whole multi-line text) keeps newlines
 * and tabs and shows the rest (a CR before a newline is dropped, so Windows line ends read as plain line ends).
 */
export function terminalSafe(text: string, mode: 'inline' | 'block' = 'inline'): string {
  const source = mode === 'block' ? text.replace(/\r\n/g, '\n') : text;
  return source.replace(UNSAFE_CHARS, (ch) => (mode === 'block' && (ch === '\n' || ch === '\t') ? ch : visibleChar(ch)));
}

/**
 * JSON output stays valid JSON with the same values: characters JSON leaves raw but a terminal would act on or hide
 * (DEL, C1 controls, bidi and zero-width characters) are written as \u escapes. They can only occur inside strings.
 */
export function jsonSafe(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (ch) => {
    let out = '';
    for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return out;
  });
}
