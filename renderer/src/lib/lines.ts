// Text fields that hold lists: one item per line, so spaces inside an item are never ambiguous.

/** Every non-empty line, exactly as typed (only a trailing CR is dropped). */
export function argumentLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line !== '');
}

/** Non-empty lines with surrounding spaces removed, for paths and domain names. */
export function trimmedLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

export interface Pair {
  name: string;
  value: string;
}

/** Reads `NAME=VALUE` (or `Name: value`) lines; lines without the separator come back as names with empty values. */
export function parsePairs(text: string, separator: '=' | ':'): Pair[] {
  return trimmedLines(text).map((line) => {
    const at = line.indexOf(separator);
    if (at < 0) return { name: line, value: '' };
    return { name: line.slice(0, at).trim(), value: line.slice(at + 1).replace(/^ /, '') };
  });
}
