// The live views of this page, kept for the session: a view leaves the screen when its tab does and comes back as it
// was. Past a handful kept off screen, the least recently shown ones are torn down, and so is every view Steward closed
// or whose server was removed. Views follow the color scheme, hear when their server's tools change, and show what
// their CSP blocked.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, type ReactNode } from 'react';
import { subscribe } from '../../lib/steward.js';
import { currentColorScheme, useColorScheme } from '../../lib/theme.js';
import { LiveView, type ViewCall } from './live-view.js';
import './apps.css';

/** Views kept running while off screen. */
export const KEPT_OFF_SCREEN = 8;

interface Views {
  /** The live view for `key`, made (not yet opened) the first time. */
  acquire(key: string, view: ViewCall): LiveView;
  /** Tears a view down for good (a new call replaces it). */
  release(key: string): void;
}

const Context = createContext<Views | null>(null);

export function AppViewsProvider({ children }: { children: ReactNode }) {
  const live = useRef(new Map<string, LiveView>());
  const dock = useRef<HTMLDivElement | null>(null);
  const scheme = useColorScheme();
  /** Off-screen home of views not shown; outside React's tree, so no render ever touches a running frame. */
  const dockElement = useCallback((): HTMLDivElement => {
    if (!dock.current) {
      dock.current = document.createElement('div');
      dock.current.className = 'app-view-dock';
      dock.current.setAttribute('aria-hidden', 'true');
      document.body.appendChild(dock.current);
    }
    return dock.current;
  }, []);

  const trim = useCallback(() => {
    const parked = [...live.current.values()].filter((v) => !v.attached).sort((a, b) => a.lastUsed - b.lastUsed);
    for (const view of parked.slice(0, Math.max(0, parked.length - KEPT_OFF_SCREEN))) {
      live.current.delete(view.key);
      void view.dispose('Steward keeps only the most recent views running.').then(() => view.remove());
    }
  }, []);

  const views = useMemo<Views>(
    () => ({
      acquire(key, call) {
        let view = live.current.get(key);
        if (!view) {
          view = new LiveView(key, call, currentColorScheme(), dockElement());
          live.current.set(key, view);
          trim();
        }
        return view;
      },
      release(key) {
        const view = live.current.get(key);
        if (!view) return;
        live.current.delete(key);
        void view.dispose('A newer call replaced it.').then(() => view.remove());
      },
    }),
    [trim, dockElement],
  );

  useEffect(() => {
    for (const view of live.current.values()) view.setScheme(scheme);
  }, [scheme]);

  useEffect(() => {
    const offTools = subscribe('tools:changed', ({ serverId }) => {
      for (const view of live.current.values()) if (view.serverId === serverId) view.toolsChanged();
    });
    const offViolations = subscribe('apps:violation', (violation) => {
      for (const view of live.current.values()) if (view.viewId === violation.viewId) view.violated(violation);
    });
    // The host has forgotten these views (their origin serves nothing, their requests are refused): their frames go,
    // and what they show says why.
    const offClosed = subscribe('apps:closed', ({ viewId, reason }) => {
      for (const view of live.current.values()) if (view.viewId === viewId) void view.dispose(reason);
    });
    const offRemoved = subscribe('servers:removed', ({ serverId }) => {
      for (const view of live.current.values()) if (view.serverId === serverId) void view.dispose('Its server was removed, so Steward closed the view.');
    });
    const views = live.current;
    const unload = () => {
      for (const view of views.values()) void view.dispose('Steward’s page closed.');
    };
    window.addEventListener('pagehide', unload);
    return () => {
      offTools();
      offViolations();
      offClosed();
      offRemoved();
      window.removeEventListener('pagehide', unload);
    };
  }, []);

  return <Context.Provider value={views}>{children}</Context.Provider>;
}

export function useAppViews(): Views {
  const views = useContext(Context);
  if (!views) throw new Error('useAppViews needs an AppViewsProvider above it.');
  return views;
}
