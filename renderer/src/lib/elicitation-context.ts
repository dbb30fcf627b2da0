// Lets any screen open the one elicitation dialog (a form to fill, or a page to open) for an inbox item.
import { createContext, useContext } from 'react';

export interface ElicitationOpener {
  openElicitation: (itemId: string) => void;
}

export const ElicitationContext = createContext<ElicitationOpener | null>(null);

export function useElicitationDialog(): ElicitationOpener {
  const opener = useContext(ElicitationContext);
  if (!opener) throw new Error('useElicitationDialog needs an ElicitationProvider above it.');
  return opener;
}
