// Asks before something that cannot be undone; the confirm button names the action.
import type { ReactNode } from 'react';
import { useAction } from '../lib/use-action.js';
import { Modal, ModalBody, ModalFooter } from './Modal.js';

interface Props {
  title: ReactNode;
  children: ReactNode;
  confirmLabel: string;
  /** The button that leaves things as they are; "Cancel" unless that word would name the action itself. */
  dismissLabel?: string;
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
  /** The action cannot be taken (the dialog then only explains why). */
  disabled?: boolean;
}

export function ConfirmDialog({ title, children, confirmLabel, dismissLabel = 'Cancel', onConfirm, onClose, disabled = false }: Props) {
  const action = useAction(onConfirm);
  return (
    <Modal open onOpenChange={(open) => !open && onClose()} name="confirm" size="small" title={title}>
      <ModalBody>{children}</ModalBody>
      <ModalFooter
        aside={
          action.error && (
            <span className="inline-error" role="alert">
              {action.error.message}
            </span>
          )
        }
      >
        <button type="button" className="btn" onClick={onClose} data-autofocus>
          {dismissLabel}
        </button>
        <button type="button" className="btn btn-danger" disabled={disabled || action.pending} onClick={() => void action.run()}>
          {action.pending ? 'Working…' : confirmLabel}
        </button>
      </ModalFooter>
    </Modal>
  );
}
