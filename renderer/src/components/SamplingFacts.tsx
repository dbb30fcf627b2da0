// A sampling request's facts at a glance, and why Steward is asking (budget reasons stand out).
import { Coins, Info } from 'lucide-react';
import type { ReactNode } from 'react';
import type { AskReason } from '../../../shared/domain/sampling.js';
import { isBudgetReason } from '../lib/sampling-words.js';

export function Facts({ children, row }: { children: ReactNode; row?: boolean }) {
  return <dl className={`sampling-facts ${row ? 'sampling-facts-row' : ''}`}>{children}</dl>;
}

export function Fact({ label, children, wide }: { label: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className={`sampling-fact ${wide ? 'sampling-fact-wide' : ''}`}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function AskReasons({ reasons }: { reasons: AskReason[] }) {
  if (reasons.length === 0) return null;
  const budget = reasons.some(isBudgetReason);
  return (
    <section className={`ask-reasons ${budget ? 'ask-reasons-budget' : ''}`} aria-label="Why Steward is asking">
      <h3 className="section-label">Why Steward is asking</h3>
      <ul>
        {reasons.map((reason) => (
          <li key={reason.code} className={isBudgetReason(reason) ? 'reason-budget' : 'reason'} data-budget={isBudgetReason(reason)}>
            {isBudgetReason(reason) ? <Coins size={14} aria-hidden /> : <Info size={14} aria-hidden />}
            <span>
              {isBudgetReason(reason) && <strong>Over budget: </strong>}
              {reason.message}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
