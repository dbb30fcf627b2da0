// Lets any screen open the one sampling dialog (approval or reply review) for an inbox item.
import { createContext, useContext } from 'react';

export interface SamplingOpener {
  openSampling: (itemId: string) => void;
}

export const SamplingContext = createContext<SamplingOpener | null>(null);

export function useSamplingDialog(): SamplingOpener {
  const opener = useContext(SamplingContext);
  if (!opener) throw new Error('useSamplingDialog needs a SamplingProvider above it.');
  return opener;
}
