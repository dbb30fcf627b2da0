// The footer of a dialog that answers a server's pending request: the last error or a note on the left, the choices on
// the right (the one being sent shows its busy label, all wait while it goes), and only Close once the request is gone.
import type { ReactNode } from 'react';
import { ModalFooter } from './Modal.js';

export interface Choice {
  /** Which answer this is: its busy label shows while this answer is being sent. */
  id: string;
  label: string;
  busy: string;
  tone?: 'primary' | 'danger';
  /** Disabled for a reason of its own, besides an answer being sent. */
  disabled?: boolean;
  /** Without it the button submits the dialog's form. */
  onClick?: () => void;
}

interface Props {
  /** The last answer's error (or the form's), shown instead of the note. */
  problem: string | null;
  /** What the choices do; hidden once the request is gone. */
  note: ReactNode;
  gone: boolean;
  onClose: () => void;
  closeTone?: 'primary';
  pending: boolean;
  /** The answer last chosen. */
  chosen: string | null;
  choices: Choice[];
}

const toneClass = { primary: 'btn btn-primary', danger: 'btn btn-danger-outline' } as const;

export function AnswerFooter({ problem, note, gone, onClose, closeTone, pending, chosen, choices }: Props) {
  const aside = problem ? (
    <span className="inline-error" role="alert">
      {problem}
    </span>
  ) : (
    !gone && note !== null && <span className="muted">{note}</span>
  );
  return (
    <ModalFooter aside={aside}>
      {gone ? (
        <button type="button" className={closeTone ? toneClass[closeTone] : 'btn'} onClick={onClose}>
          Close
        </button>
      ) : (
        choices.map((c) => (
          <button
            key={c.id}
            type={c.onClick ? 'button' : 'submit'}
            className={c.tone ? toneClass[c.tone] : 'btn'}
            disabled={pending || c.disabled === true}
            onClick={c.onClick}
          >
            {pending && chosen === c.id ? c.busy : c.label}
          </button>
        ))
      )}
    </ModalFooter>
  );
}
