// A sampling request's facts at a glance, why Steward is asking (budget reasons stand out), and the parameters the
// model does not get as the server asked.
import { Coins, Info, SlidersHorizontal } from 'lucide-react';
import type { ReactNode } from 'react';
import type { AskReason, ParamNote } from '../../../shared/domain/sampling.js';
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
      <ul className="plain-list vstack">
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

/** Parameters the request carried that did not reach the model as they were: each named, with its value, and what became of it. */
export function ParamsReport({ notes }: { notes: readonly ParamNote[] }) {
  if (notes.length === 0) return null;
  return (
    <section className="params-report" aria-label="Parameters not sent as asked">
      <h3 className="section-label">
        <SlidersHorizontal size={13} aria-hidden /> Not sent to the model as asked
      </h3>
      <ul className="plain-list vstack">
        {notes.map((n) => (
          <li key={n.name}>
            <code className="code-tag">
              {n.name} = {n.value === undefined ? 'undefined' : JSON.stringify(n.value)}
            </code>{' '}
            <span>{n.note}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
