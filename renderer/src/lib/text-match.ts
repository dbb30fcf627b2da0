// Filtering a list by what the user typed: every word must appear in one of the item's texts, case and accents aside.

const fold = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLocaleLowerCase();

/** True when each word of `query` is in one of `texts`; an empty query matches everything. */
export function matchesQuery(query: string, texts: ReadonlyArray<string | undefined>): boolean {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = texts.filter((t): t is string => typeof t === 'string').map(fold);
  return words.every((w) => haystack.some((h) => h.includes(w)));
}
