// What the screens and the terminal printers show of text Steward did not write: tried, every kind of character that
// reorders or hides text (bidi overrides and isolates, zero-width and default-ignorable marks, tag characters, C0/C1
// controls, separators, a lone surrogate) next to ordinary text in several scripts, which must come through unchanged.
import { describe, expect, it } from 'vitest';
import { HOSTILE, UNSAFE_OUTPUT } from '../fixtures/hostile-text.mjs';
import { visibleText } from '../../shared/visible-text.js';

describe('visibleText', () => {
  it('shows each character that reorders or hides text as an escape', () => {
    expect(visibleText('invoice\u202Egpj.exe')).toBe('invoice<U+202E>gpj.exe');
    expect(visibleText('\u2066isolated\u2069')).toBe('<U+2066>isolated<U+2069>');
    expect(visibleText('a\u034Fb\uFE0Fc\u{E0041}')).toBe('a<U+034F>b<U+FE0F>c<U+E0041>');
    expect(visibleText('one\ntwo\tthree\r\u001b[2J\u009b')).toBe('one\\ntwo\\tthree\\r\\x1b[2J\\x9b');
    expect(visibleText('line\u2028para\u2029')).toBe('line<U+2028>para<U+2029>');
    expect(visibleText('half \uD800 pair')).toBe('half <U+D800> pair');
    for (const piece of HOSTILE) expect(visibleText(piece)).not.toMatch(UNSAFE_OUTPUT);
  });

  it('leaves ordinary text in any script as it is', () => {
    for (const text of ['npx -y @scope/server@1.2.3 --root /home/ada', 'Grüße, 東京, שלום, مرحبا, 👩‍💻'.replace('\u200d', ''), '<img src=x>']) {
      expect(visibleText(text)).toBe(text);
    }
  });
});
