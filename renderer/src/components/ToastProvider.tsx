// The corner where short messages appear, on Radix Toast: announced to screen readers, paused while hovered or
// focused (and while the window is in the background), reachable with F8, dismissed with Escape or a swipe. An Escape
// pressed in an open dialog is the dialog's, even when a toast appeared after it.
import * as Toast from '@radix-ui/react-toast';
import { X } from 'lucide-react';
import { useMemo, useRef, useState, type ReactNode } from 'react';
import { handEscapeOn } from '../lib/escape-owner.js';
import { ToastContext, type ToastInput, type Toaster } from '../lib/toasts.js';
import { IconButton } from './IconButton.js';
import './toasts.css';

/** Older messages make way: the corner never covers more than a few. */
const MAX_SHOWN = 4;
const DURATION_MS = 10_000;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Array<ToastInput & { id: number }>>([]);
  const nextId = useRef(1);
  const toaster = useMemo<Toaster>(() => ({ show: (toast) => setToasts((list) => [...list.slice(-(MAX_SHOWN - 1)), { ...toast, id: nextId.current++ }]) }), []);
  const remove = (id: number) => setToasts((list) => list.filter((t) => t.id !== id));

  return (
    <ToastContext.Provider value={toaster}>
      <Toast.Provider duration={DURATION_MS} swipeDirection="right">
        {children}
        {toasts.map((toast) => (
          <Toast.Root
            key={toast.id}
            className={`toast toast-${toast.tone ?? 'idle'}`}
            type="background"
            onOpenChange={(open) => !open && remove(toast.id)}
            onEscapeKeyDown={handEscapeOn}
          >
            <div className="toast-text">
              <Toast.Title className="toast-title">{toast.title}</Toast.Title>
              {toast.description && <Toast.Description className="toast-description">{toast.description}</Toast.Description>}
            </div>
            {toast.link && (
              <Toast.Action asChild altText={toast.link.label}>
                <a className="btn btn-small" href={toast.link.href}>
                  {toast.link.label}
                </a>
              </Toast.Action>
            )}
            <Toast.Close asChild>
              <IconButton icon={X} label="Dismiss" />
            </Toast.Close>
          </Toast.Root>
        ))}
        <Toast.Viewport className="toast-viewport" />
      </Toast.Provider>
    </ToastContext.Provider>
  );
}
