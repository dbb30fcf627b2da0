// The first characters of a value's JSON text and the length of all of it, without building the whole text: a log that
// keeps 8 KB of a 10 MB message need not write out 10 MB to find them. Reads values as JSON.stringify does. Also a quick
// look that tells a value too small for any of this to matter, for which JSON.stringify itself is faster.

/** Characters JSON.stringify would escape, or that need a closer look (surrogates: a lone one is escaped). */
const SPECIAL = /["\\\u0000-\u001f\ud800-\udfff]/;
const SHORT_ESCAPES = new Set([0x22, 0x5c, 0x08, 0x09, 0x0a, 0x0c, 0x0d]);

/** The length of JSON.stringify(text), counted rather than built. */
export function jsonStringLength(text: string): number {
  if (!SPECIAL.test(text)) return text.length + 2;
  let length = 2;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (SHORT_ESCAPES.has(code)) length += 2;
    else if (code < 0x20) length += 6;
    else if (code >= 0xd800 && code <= 0xdbff && isLow(text.charCodeAt(i + 1))) {
      length += 2;
      i += 1;
    } else if (code >= 0xd800 && code <= 0xdfff) length += 6;
    else length += 1;
  }
  return length;
}

/**
 * True when JSON.stringify(value) is surely at most `max` characters: counted as if every character needed the longest
 * escape, given up on at the first sign of more (or of anything unusual: toJSON, a boxed value, a deep nest).
 */
export function surelyShorterThan(value: unknown, max: number): boolean {
  let left = max;
  const fits = (v: unknown, depth: number): boolean => {
    if (v === null || v === undefined || typeof v === 'boolean') left -= 5;
    else if (typeof v === 'number') left -= 24;
    else if (typeof v === 'string') left -= 6 * v.length + 2;
    else if (typeof v !== 'object' || depth > 32 || typeof (v as { toJSON?: unknown }).toJSON === 'function') return false;
    else if (Array.isArray(v)) {
      left -= 2;
      for (const item of v as unknown[]) {
        left -= 1;
        if (!fits(item, depth + 1)) return false;
      }
    } else {
      if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return false;
      left -= 2;
      for (const key in v) {
        left -= 6 * key.length + 4;
        if (!fits((v as Record<string, unknown>)[key], depth + 1)) return false;
      }
    }
    return left >= 0;
  };
  return fits(value, 0);
}

function isLow(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

class Writer {
  private readonly parts: string[] = [];
  private kept = 0;
  total = 0;

  constructor(private readonly max: number) {}

  get room(): number {
    return this.max - this.kept;
  }

  /** `piece` starts the next `length` characters of the text (all of them unless said otherwise). */
  write(piece: string, length = piece.length): void {
    this.total += length;
    if (this.kept >= this.max) return;
    const kept = piece.length <= this.room ? piece : piece.slice(0, this.room);
    this.parts.push(kept);
    this.kept += kept.length;
  }

  text(): string {
    return this.parts.join('');
  }
}

/**
 * `text`: the first `maxChars` characters of JSON.stringify(value) (or all of it); `total`: its whole length. Throws where
 * JSON.stringify throws (a cycle, a BigInt); a value JSON.stringify writes as nothing gives no text (undefined).
 */
export function jsonPrefix(value: unknown, maxChars: number): { text: string; total: number } | undefined {
  const writer = new Writer(maxChars);
  const open = new Set<object>();

  const string = (text: string): void => {
    if (writer.room <= 0) writer.total += jsonStringLength(text);
    else if (text.length + 2 <= writer.room) writer.write(JSON.stringify(text));
    // Characters past the room start past it in the JSON too (each is at least one character, after the quote).
    else writer.write(JSON.stringify(text.slice(0, writer.room)), jsonStringLength(text));
  };

  /** The value as JSON.stringify sees it under `key`: after toJSON, primitives unboxed; undefined when it writes nothing. */
  const resolve = (key: string, raw: unknown): unknown => {
    let v = raw;
    if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function')
      v = (v as { toJSON(key: string): unknown }).toJSON(key);
    if (v instanceof Number || v instanceof String || v instanceof Boolean) v = v.valueOf();
    return typeof v === 'function' || typeof v === 'symbol' ? undefined : v;
  };

  const put = (v: unknown): void => {
    if (v === null) writer.write('null');
    else if (typeof v === 'string') string(v);
    else if (typeof v === 'number') writer.write(Number.isFinite(v) ? String(v) : 'null');
    else if (typeof v === 'boolean') writer.write(v ? 'true' : 'false');
    else if (typeof v === 'bigint') throw new TypeError('Do not know how to serialize a BigInt');
    else if (typeof v === 'object') {
      if (open.has(v)) throw new TypeError('Converting circular structure to JSON');
      open.add(v);
      if (Array.isArray(v)) {
        writer.write('[');
        for (let i = 0; i < v.length; i += 1) {
          if (i > 0) writer.write(',');
          const item = resolve(String(i), v[i]);
          if (item === undefined) writer.write('null');
          else put(item);
        }
        writer.write(']');
      } else {
        writer.write('{');
        let first = true;
        for (const k of Object.keys(v)) {
          const item = resolve(k, (v as Record<string, unknown>)[k]);
          if (item === undefined) continue;
          if (!first) writer.write(',');
          first = false;
          string(k);
          writer.write(':');
          put(item);
        }
        writer.write('}');
      }
      open.delete(v);
    }
  };

  const top = resolve('', value);
  if (top === undefined) return undefined;
  put(top);
  return { text: writer.text(), total: writer.total };
}
