// The rows that end a form: a dialog form's footer (a way back, the submit button, the error it ended with) and a
// settings form's save row (save, discard the edits, what happened). Both read one host action's state.
import type { ReactNode } from 'react';
import { ModalFooter } from './Modal.js';

/** What a row needs of a host action (see useAction). */
interface ActionState {
  pending: boolean;
  error: { message: string } | null;
}

/** The last error of an action, announced; nothing when there is none. */
export function InlineError({ error }: { error: { message: string } | null }) {
  return (
    error && (
      <span className="inline-error" role="alert">
        {error.message}
      </span>
    )
  );
}

interface FormFooterProps {
  action: ActionState;
  /** The way back; without it the footer has only the submit button. */
  onBack?: () => void;
  back?: string;
  submit: string;
  /** The submit button's label while the action runs. */
  busy: string;
  /** Disabled for a reason of its own, besides the action running. */
  disabled?: boolean;
}

export function FormFooter({ action, onBack, back = 'Cancel', submit, busy, disabled = false }: FormFooterProps) {
  return (
    <ModalFooter aside={<InlineError error={action.error} />}>
      {onBack && (
        <button type="button" className="btn" onClick={onBack}>
          {back}
        </button>
      )}
      <button type="submit" className="btn btn-primary" disabled={action.pending || disabled}>
        {action.pending ? busy : submit}
      </button>
    </ModalFooter>
  );
}

interface SaveRowProps {
  save: ActionState;
  /** Whether the draft differs from what is saved: only then can it be saved or discarded. */
  dirty: boolean;
  label: string;
  onDiscard: () => void;
  /** What the last save did, if it says anything. */
  status?: ReactNode;
  /** Said instead of the save's own error message. */
  problem?: string;
}

export function SaveRow({ save, dirty, label, onDiscard, status, problem }: SaveRowProps) {
  return (
    <div className="settings-actions">
      <button type="submit" className="btn btn-primary" disabled={!dirty || save.pending}>
        {save.pending ? 'Saving…' : label}
      </button>
      {dirty && (
        <button type="button" className="btn" onClick={onDiscard}>
          Discard
        </button>
      )}
      {status}
      <InlineError error={save.error && problem !== undefined ? { message: problem } : save.error} />
    </div>
  );
}
