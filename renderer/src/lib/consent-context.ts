// Lets any screen open the one consent dialog for a server (list, detail page, inbox).
import { openerContext } from './opener-context.js';

export interface ConsentOpener {
  openConsent: (serverId: string) => void;
}

export const [ConsentContext, useConsent] = openerContext<ConsentOpener>('useConsent', 'ConsentProvider');
