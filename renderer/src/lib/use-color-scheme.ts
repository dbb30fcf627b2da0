// The color scheme Steward's views follow. Steward itself has no dark mode yet, so this is the OS preference; when
// Steward gets its own light/dark setting, this hook is the one place that reads it.
import { useSyncExternalStore } from 'react';

export type ColorScheme = 'light' | 'dark';

const QUERY = '(prefers-color-scheme: dark)';

function subscribe(onChange: () => void): () => void {
  const media = window.matchMedia(QUERY);
  media.addEventListener('change', onChange);
  return () => media.removeEventListener('change', onChange);
}

export function currentColorScheme(): ColorScheme {
  return window.matchMedia(QUERY).matches ? 'dark' : 'light';
}

export function useColorScheme(): ColorScheme {
  return useSyncExternalStore(subscribe, currentColorScheme);
}
