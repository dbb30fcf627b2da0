// Lets any screen open the one sampling dialog (approval or reply review) for an inbox item.
import { openerContext } from './opener-context.js';

export interface SamplingOpener {
  openSampling: (itemId: string) => void;
}

export const [SamplingContext, useSamplingDialog] = openerContext<SamplingOpener>('useSamplingDialog', 'SamplingProvider');
