// The top of a screen: title, a line of context and the screen's main actions.
import type { ReactNode } from 'react';

export function ScreenHeader({ title, subtitle, actions, before }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode; before?: ReactNode }) {
  return (
    <header className="screen-header spread">
      <div className="screen-heading">
        {before}
        <h1 className="screen-title">{title}</h1>
        {subtitle && <div className="screen-subtitle">{subtitle}</div>}
      </div>
      {actions && <div className="screen-actions">{actions}</div>}
    </header>
  );
}
