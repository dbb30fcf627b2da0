// A button's call to the host: whether it is running and the error it ended with, for inline feedback.
import { useCallback, useRef, useState, type SubmitEvent } from 'react';
import type { HostError } from './steward.js';
import { toHostError } from './use-load.js';

export interface Action<A extends unknown[]> {
  /** Resolves to whether it succeeded; a failure is kept in `error`, never thrown. */
  run: (...args: A) => Promise<boolean>;
  pending: boolean;
  error: HostError | null;
  clearError: () => void;
}

export function useAction<A extends unknown[]>(fn: (...args: A) => Promise<unknown>): Action<A> {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<HostError | null>(null);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const run = useCallback(async (...args: A) => {
    setPending(true);
    setError(null);
    try {
      await fnRef.current(...args);
      return true;
    } catch (e) {
      setError(toHostError(e));
      return false;
    } finally {
      setPending(false);
    }
  }, []);
  const clearError = useCallback(() => setError(null), []);
  return { run, pending, error, clearError };
}

/** A form's submit handler: runs the action in place of the browser's own submission. */
export function submitTo(action: { run: () => Promise<boolean> }): (e: SubmitEvent) => void {
  return (e) => {
    e.preventDefault();
    void action.run();
  };
}
