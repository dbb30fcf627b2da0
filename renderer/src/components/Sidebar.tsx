// The left column: the app's name and one link per screen, with counts of what is waiting or running.
import { ShieldCheck } from 'lucide-react';
import { useHostState } from '../lib/host-state.js';
import { href } from '../lib/router.js';
import type { RouteEntry } from '../routes.js';

export function Sidebar({ routes, current }: { routes: readonly RouteEntry[]; current: string }) {
  const state = useHostState();
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">
        <ShieldCheck size={18} aria-hidden />
        <span>Steward</span>
      </div>
      <ul className="nav plain-list vstack">
        {routes.map((route) => {
          const Icon = route.icon;
          const badge = route.badge;
          const count = badge?.count(state) ?? 0;
          return (
            <li key={route.id}>
              <a className="nav-link" href={href(route.id)} aria-current={route.id === current ? 'page' : undefined}>
                <Icon size={16} aria-hidden />
                <span className="nav-label">{route.label}</span>
                {badge && count > 0 && (
                  <span className={`nav-badge nav-badge-${badge.tone}`} aria-label={`${count} ${badge.word}`}>
                    {count}
                  </span>
                )}
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
