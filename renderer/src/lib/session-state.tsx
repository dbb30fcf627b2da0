// State that outlives the component showing it, for as long as the page is open: what a screen showed last (a call's
// arguments and result) is still there after a tab switch or a visit to another screen.
import { createContext, useCallback, useContext, useRef, useState, type ReactNode, type SetStateAction } from 'react';

const Memory = createContext<Map<string, unknown> | null>(null);

export function SessionStateProvider({ children }: { children: ReactNode }) {
  const memory = useRef(new Map<string, unknown>());
  return <Memory.Provider value={memory.current}>{children}</Memory.Provider>;
}

/** Like useState, but kept under `key` for the session; without the provider it is plain component state. */
export function useSessionState<T>(key: string, initial: T): [T, (next: SetStateAction<T>) => void] {
  const memory = useContext(Memory);
  const [value, setValue] = useState<T>(() => (memory?.has(key) ? (memory.get(key) as T) : initial));
  const [shownKey, setShownKey] = useState(key);
  let current = value;
  if (shownKey !== key) {
    // A different key (another tool, another server) starts from what is kept for it.
    current = memory?.has(key) ? (memory.get(key) as T) : initial;
    setShownKey(key);
    setValue(current);
  }
  const latest = useRef(current);
  latest.current = current;
  // Written to the session's memory at once, so an answer that arrives after the component is gone is still kept.
  const set = useCallback(
    (next: SetStateAction<T>) => {
      const previous = memory?.has(key) ? (memory.get(key) as T) : latest.current;
      const resolved = typeof next === 'function' ? (next as (p: T) => T)(previous) : next;
      memory?.set(key, resolved);
      latest.current = resolved;
      setValue(resolved);
    },
    [memory, key],
  );
  return [current, set];
}
