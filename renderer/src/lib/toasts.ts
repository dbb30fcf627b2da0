// Lets any part of the app show a short message in the corner: what happened, and a link to look at it.
import { createContext, useContext } from 'react';

export interface ToastInput {
  title: string;
  description?: string;
  tone?: 'ok' | 'danger' | 'idle';
  link?: { href: string; label: string };
}

export interface Toaster {
  show: (toast: ToastInput) => void;
}

export const ToastContext = createContext<Toaster | null>(null);

export function useToasts(): Toaster {
  const toaster = useContext(ToastContext);
  if (!toaster) throw new Error('useToasts needs a ToastProvider above it.');
  return toaster;
}
