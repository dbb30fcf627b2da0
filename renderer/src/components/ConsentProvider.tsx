// Holds the one consent dialog and lets any screen open it for a server.
import { useMemo, useState, type ReactNode } from 'react';
import { ConsentContext, type ConsentOpener } from '../lib/consent-context.js';
import { ConsentDialog } from './ConsentDialog.js';

export function ConsentProvider({ children }: { children: ReactNode }) {
  const [serverId, setServerId] = useState<string | null>(null);
  const opener = useMemo<ConsentOpener>(() => ({ openConsent: setServerId }), []);
  return (
    <ConsentContext.Provider value={opener}>
      {children}
      {serverId !== null && <ConsentDialog key={serverId} serverId={serverId} onClose={() => setServerId(null)} />}
    </ConsentContext.Provider>
  );
}
