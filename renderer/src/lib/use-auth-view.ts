// One server's sign-in state as the host reports it: read once, then kept current by auth:changed.
import { useCallback, useEffect, useState } from 'react';
import type { AuthView } from '../../../shared/domain/auth.js';
import { call, subscribe } from './steward.js';
import { toHostError, type Loaded } from './use-load.js';

export interface AuthState {
  view: Loaded<AuthView>;
  reload: () => void;
  /** Shows a view a call just returned, without waiting for its event. */
  show: (view: AuthView) => void;
}

export function useAuthView(serverId: string): AuthState {
  const [view, setView] = useState<Loaded<AuthView>>({ state: 'loading' });
  const [epoch, setEpoch] = useState(0);

  useEffect(() => {
    let live = true;
    // An event that arrives while the first read is under way is newer than that read's answer.
    let changed = false;
    const off = subscribe('auth:changed', (next) => {
      if (!live || next.serverId !== serverId) return;
      changed = true;
      setView({ state: 'ready', data: next });
    });
    call('auth:get', { serverId }).then(
      (data) => live && !changed && setView({ state: 'ready', data }),
      (error: unknown) => live && !changed && setView({ state: 'error', error: toHostError(error) }),
    );
    return () => {
      live = false;
      off();
    };
  }, [serverId, epoch]);

  const reload = useCallback(() => {
    setView({ state: 'loading' });
    setEpoch((e) => e + 1);
  }, []);
  const show = useCallback((next: AuthView) => setView({ state: 'ready', data: next }), []);
  return { view, reload, show };
}
