// Lets any screen open the one elicitation dialog (a form to fill, or a page to open) for an inbox item.
import { openerContext } from './opener-context.js';

export interface ElicitationOpener {
  openElicitation: (itemId: string) => void;
}

export const [ElicitationContext, useElicitationDialog] = openerContext<ElicitationOpener>('useElicitationDialog', 'ElicitationProvider');
