// State that outlives its component while a surrounding provider lives: the add dialog's tabs unmount their forms,
// and what was typed comes back when the user returns to a tab. Without a provider it is plain component state.
import { createContext, useContext, useEffect, useState, type Dispatch, type ReactNode, type SetStateAction } from 'react';

const KeptContext = createContext<Map<string, unknown> | null>(null);

export function KeptStateProvider({ children }: { children: ReactNode }) {
  const [store] = useState(() => new Map<string, unknown>());
  return <KeptContext.Provider value={store}>{children}</KeptContext.Provider>;
}

export function useKept<T>(key: string, initial: T): [T, Dispatch<SetStateAction<T>>] {
  const store = useContext(KeptContext);
  const [value, setValue] = useState<T>(() => (store?.has(key) ? (store.get(key) as T) : initial));
  useEffect(() => {
    store?.set(key, value);
  }, [store, key, value]);
  return [value, setValue];
}
