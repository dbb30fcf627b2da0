// Loading data from the host as a value with three states, so every screen can show loading, error and ready.
import { useCallback, useEffect, useRef, useState } from 'react';
import { HostError } from './steward.js';

export type Loaded<T> = { state: 'loading' } | { state: 'error'; error: HostError } | { state: 'ready'; data: T };

export function toHostError(error: unknown): HostError {
  if (error instanceof HostError) return error;
  return new HostError('internal_error', error instanceof Error ? error.message : String(error));
}

/**
 * Runs `load` when `deps` change and on `reload()`. While reloading, the last data stays on screen;
 * an answer that arrives after a newer request started is dropped.
 */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): [Loaded<T>, () => void] {
  const [value, setValue] = useState<Loaded<T>>({ state: 'loading' });
  const [epoch, setEpoch] = useState(0);
  const latest = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const request = ++latest.current;
    loadRef.current().then(
      (data) => request === latest.current && setValue({ state: 'ready', data }),
      (error: unknown) => request === latest.current && setValue({ state: 'error', error: toHostError(error) }),
    );
  }, [...deps, epoch]);

  useEffect(() => () => void (latest.current += 1), []);
  const reload = useCallback(() => setEpoch((e) => e + 1), []);
  return [value, reload];
}
