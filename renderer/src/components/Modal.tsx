// A dialog on Radix (focus trap, Escape, labelling). The backdrop is our own element: Radix's overlay
// injects a <style> tag to lock scrolling, which the renderer's CSP (style-src 'self') refuses.
import * as Dialog from '@radix-ui/react-dialog';
import { X } from 'lucide-react';
import type { KeyboardEvent, ReactNode } from 'react';
import { escapeHandedOn } from '../lib/escape-owner.js';
import { IconButton } from './IconButton.js';
import './dialogs.css';

interface Props {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: ReactNode;
  description?: ReactNode;
  size?: 'small' | 'medium' | 'large' | 'wide';
  /** Names the dialog for tests and styles (data-dialog). */
  name: string;
  children: ReactNode;
}

export function Modal({ open, onOpenChange, title, description, size = 'medium', name, children }: Props) {
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <div className="modal-backdrop" aria-hidden />
        <Dialog.Content
          className={`modal modal-${size}`}
          data-dialog={name}
          onOpenAutoFocus={focusMarked}
          onKeyDown={(event: KeyboardEvent<HTMLDivElement>) => closesOnEscape(event) && onOpenChange(false)}
          {...(description ? {} : { 'aria-describedby': undefined })}
        >
          <header className="modal-header spread">
            <Dialog.Title className="modal-title">{title}</Dialog.Title>
            <Dialog.Close asChild>
              <IconButton icon={X} label="Close" />
            </Dialog.Close>
          </header>
          {description && <Dialog.Description className="modal-description">{description}</Dialog.Description>}
          {children}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** Focuses the element marked data-autofocus, else the dialog itself (never a button by accident). */
function focusMarked(event: Event): void {
  event.preventDefault();
  const content = event.currentTarget as HTMLElement;
  const marked = content.querySelector<HTMLElement>('[data-autofocus]');
  (marked ?? content).focus();
}

/**
 * An Escape a toast handed on (a toast that appeared after this dialog is the top layer, so Radix gave the press to it)
 * closes this dialog, when the focus is in this dialog itself and not in one opened from it.
 */
function closesOnEscape(event: KeyboardEvent<HTMLDivElement>): boolean {
  if (event.key !== 'Escape' || !escapeHandedOn(event.nativeEvent)) return false;
  return (event.target as Element).closest('[role="dialog"]') === event.currentTarget;
}

/** Scrolling middle part of a modal. */
export function ModalBody({ children }: { children: ReactNode }) {
  return <div className="modal-body">{children}</div>;
}

/** Buttons at the bottom of a modal; `aside` sits on the left (status text, errors). */
export function ModalFooter({ aside, children }: { aside?: ReactNode; children: ReactNode }) {
  return (
    <footer className="modal-footer">
      <div className="modal-footer-aside">{aside}</div>
      <div className="modal-footer-buttons">{children}</div>
    </footer>
  );
}
