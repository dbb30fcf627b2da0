// Steward's theme: the user's choice (System, Light or Dark, kept by the host so every window agrees) resolved
// against the system's preference. The resolved scheme is put on <html data-theme> for the stylesheet's tokens, and
// views of MCP Apps follow it too.
import { useEffect, useSyncExternalStore } from 'react';
import type { ThemeChoice } from '../../../shared/domain/appearance.js';
import { call, subscribe as subscribeHost } from './steward.js';

export type ColorScheme = 'light' | 'dark';

const QUERY = '(prefers-color-scheme: dark)';

/** The choice as last heard from the host; `system` until it answers. */
let choice: ThemeChoice = 'system';
const listeners = new Set<() => void>();

export function resolveScheme(chosen: ThemeChoice, systemDark: boolean): ColorScheme {
  if (chosen === 'system') return systemDark ? 'dark' : 'light';
  return chosen;
}

export function currentColorScheme(): ColorScheme {
  return resolveScheme(choice, window.matchMedia(QUERY).matches);
}

function apply(): void {
  const root = document.documentElement;
  const scheme = currentColorScheme();
  if (root.dataset.theme !== scheme) root.dataset.theme = scheme;
  for (const listener of listeners) listener();
}

function subscribeScheme(onChange: () => void): () => void {
  listeners.add(onChange);
  return () => listeners.delete(onChange);
}

/** Follows the host's setting and the system's preference for as long as the app is mounted. */
export function useThemeFollower(): void {
  useEffect(() => {
    const take = ({ theme }: { theme: ThemeChoice }) => {
      choice = theme;
      apply();
    };
    const media = window.matchMedia(QUERY);
    media.addEventListener('change', apply);
    const off = subscribeHost('appearance:changed', take);
    let live = true;
    call('appearance:get', {}).then(
      (appearance) => live && take(appearance),
      () => undefined,
    );
    return () => {
      live = false;
      off();
      media.removeEventListener('change', apply);
    };
  }, []);
}

/** The scheme Steward shows now: light or dark. */
export function useColorScheme(): ColorScheme {
  return useSyncExternalStore(subscribeScheme, currentColorScheme);
}

/** What the user chose (System, Light or Dark). */
export function useThemeChoice(): ThemeChoice {
  return useSyncExternalStore(subscribeScheme, () => choice);
}

/** Stores the choice with the host; every window (this one included) hears it back as appearance:changed. */
export async function chooseTheme(theme: ThemeChoice): Promise<void> {
  choice = (await call('appearance:set', { theme })).theme;
  apply();
}

// The page shows the system's scheme from its first paint, before the host has answered.
apply();
