// The three states every screen has besides "ready": loading, error and empty.
import { LoaderCircle, TriangleAlert, type LucideIcon } from 'lucide-react';
import type { ReactNode } from 'react';
import type { HostError } from '../lib/steward.js';
import type { Loaded } from '../lib/use-load.js';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status">
      <LoaderCircle className="spin" size={16} aria-hidden />
      <span>{label}</span>
    </div>
  );
}

export function ErrorNote({ error, title, onRetry }: { error: HostError; title?: string; onRetry?: () => void }) {
  return (
    <div className="notice notice-danger" role="alert">
      <TriangleAlert size={16} aria-hidden className="notice-icon" />
      <div className="notice-text">
        {title && <strong>{title} </strong>}
        {error.message} <span className="code-tag">{error.code}</span>
      </div>
      {onRetry && (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function EmptyState({ icon: Icon, title, children, actions }: { icon: LucideIcon; title: string; children?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="empty">
      <Icon size={28} aria-hidden className="empty-icon" />
      <h2 className="empty-title">{title}</h2>
      {children && <div className="empty-text">{children}</div>}
      {actions && <div className="empty-actions">{actions}</div>}
    </div>
  );
}

export function Notice({ tone, icon: Icon = TriangleAlert, children }: { tone: 'warning' | 'danger' | 'info'; icon?: LucideIcon; children: ReactNode }) {
  return (
    <div className={`notice notice-${tone}`} role={tone === 'info' ? 'note' : 'alert'}>
      <Icon size={16} aria-hidden className="notice-icon" />
      <div className="notice-text">{children}</div>
    </div>
  );
}

/** A read not yet ready: its loading line or its error (with a retry); nothing once its data is on hand. */
export function Pending({ loaded, loading, failed, onRetry }: { loaded: Loaded<unknown>; loading: string; failed: string; onRetry: () => void }) {
  if (loaded.state === 'loading') return <Loading label={loading} />;
  if (loaded.state === 'error') return <ErrorNote title={failed} error={loaded.error} onRetry={onRetry} />;
  return null;
}

interface RecordProps {
  loaded: Loaded<unknown>;
  /** What the record is, as in "the loop". */
  noun: string;
  icon: LucideIcon;
  /** The way back to the list. */
  back: ReactNode;
  onRetry: () => void;
}

/** A record's page before the record is on hand: loading, not in the record (another data folder, or a wrong link), or unreadable. */
export function RecordPending({ loaded, noun, icon, back, onRetry }: RecordProps) {
  if (loaded.state === 'error' && loaded.error.code === 'not_found') {
    return (
      <EmptyState icon={icon} title={`This ${noun} is not in the record`} actions={back}>
        It may have been from another data folder, or the link is wrong.
      </EmptyState>
    );
  }
  return <Pending loaded={loaded} loading={`Loading the ${noun}…`} failed={`Steward could not read this ${noun}.`} onRetry={onRetry} />;
}
