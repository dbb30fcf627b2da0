// A server's list read a page at a time with its own cursor: the pages so far, "load more", and a fresh start when
// the server says the list changed (its list_changed event) or the deps change.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { HostError } from './steward.js';
import { toHostError } from './use-load.js';

export interface Paged<T> {
  items: T[];
  state: 'loading' | 'ready' | 'error';
  error: HostError | null;
  /** True while the server has more pages. */
  more: boolean;
  loadMore: () => void;
  reload: () => void;
}

export function usePaged<T>(
  load: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string | undefined }>,
  deps: readonly unknown[],
): Paged<T> {
  const [items, setItems] = useState<T[]>([]);
  const [state, setState] = useState<Paged<T>['state']>('loading');
  const [error, setError] = useState<HostError | null>(null);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [epoch, setEpoch] = useState(0);
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const fetchPage = useCallback((from: string | undefined, fresh: boolean) => {
    const mine = fresh ? ++generation.current : generation.current;
    setState('loading');
    loadRef.current(from).then(
      (page) => {
        // A page of a list that has been restarted since is dropped.
        if (mine !== generation.current) return;
        setItems((before) => (fresh ? page.items : [...before, ...page.items]));
        setCursor(page.nextCursor);
        setError(null);
        setState('ready');
      },
      (e: unknown) => {
        if (mine !== generation.current) return;
        setError(toHostError(e));
        setState('error');
      },
    );
  }, []);

  useEffect(() => fetchPage(undefined, true), [...deps, epoch]);
  useEffect(() => () => void (generation.current += 1), []);

  return {
    items,
    state,
    error,
    more: cursor !== undefined,
    loadMore: () => cursor !== undefined && fetchPage(cursor, false),
    reload: () => setEpoch((n) => n + 1),
  };
}
