// Lets any screen open the one consent dialog for a server (list, detail page, inbox).
import { createContext, useContext } from 'react';

export interface ConsentOpener {
  openConsent: (serverId: string) => void;
}

export const ConsentContext = createContext<ConsentOpener | null>(null);

export function useConsent(): ConsentOpener {
  const opener = useContext(ConsentContext);
  if (!opener) throw new Error('useConsent needs a ConsentProvider above it.');
  return opener;
}
