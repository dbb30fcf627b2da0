// Keyboard paths through a list of buttons: Up and Down move to the previous and next item, Home and End to the first
// and last. Tab still reaches every item; these keys only save presses in long lists. Pure.

const MOVES = new Map<string, (index: number, count: number) => number>([
  ['ArrowDown', (i, n) => Math.min(n - 1, i + 1)],
  ['ArrowUp', (i) => Math.max(0, i - 1)],
  ['Home', () => 0],
  ['End', (_, n) => n - 1],
]);

/** Where focus goes from `index` (-1: from outside the items) among `count` items on `key`; null: not a list key. */
export function nextIndex(key: string, index: number, count: number): number | null {
  const move = MOVES.get(key);
  if (!move || count === 0) return null;
  return index < 0 ? (key === 'End' || key === 'ArrowUp' ? count - 1 : 0) : move(index, count);
}
