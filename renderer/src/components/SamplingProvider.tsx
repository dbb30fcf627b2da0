// Holds the one sampling dialog (a request to approve, or a reply to review), queued as use-dialog-queue describes.
import { useMemo, type ReactNode } from 'react';
import { SamplingContext, type SamplingOpener } from '../lib/sampling-context.js';
import { isAsk } from '../lib/sampling-words.js';
import { useDialogQueue } from '../lib/use-dialog-queue.js';
import { ReviewDialog } from './ReviewDialog.js';
import { SamplingDialog } from './SamplingDialog.js';

export function SamplingProvider({ children }: { children: ReactNode }) {
  const { open, waiting, show, close } = useDialogQueue(isAsk);
  const opener = useMemo<SamplingOpener>(() => ({ openSampling: show }), [show]);
  return (
    <SamplingContext.Provider value={opener}>
      {children}
      {open?.kind === 'sampling' && <SamplingDialog key={open.id} item={open} waiting={waiting} onClose={(advance) => close(open.id, advance)} />}
      {open?.kind === 'sampling_review' && <ReviewDialog key={open.id} item={open} waiting={waiting} onClose={(advance) => close(open.id, advance)} />}
    </SamplingContext.Provider>
  );
}
