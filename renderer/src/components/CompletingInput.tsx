// A text input whose suggestions come from the server (completion/complete): asked as the user types, shown as the
// browser's own list, so the keyboard works as in any field. Without completion support it is a plain input.
import { useEffect, useId, useState } from 'react';
import type { CompletionRef } from '../../../shared/domain/mcp.js';
import { call } from '../lib/steward.js';

interface Props {
  serverId: string;
  completes: boolean;
  completionRef: CompletionRef;
  name: string;
  value: string;
  /** The other arguments already given: the server may narrow its suggestions by them. */
  context: Record<string, string>;
  onChange: (value: string) => void;
  id?: string;
  required?: boolean;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
}

export function CompletingInput({ serverId, completes, completionRef, name, value, context, onChange, ...input }: Props) {
  const listId = useId();
  const [values, setValues] = useState<string[]>([]);
  const refKey = JSON.stringify(completionRef);
  const contextKey = JSON.stringify(context);
  useEffect(() => {
    if (!completes) return;
    let live = true;
    // A short pause, so a fast typist sends one request, not one per key.
    const timer = setTimeout(() => {
      call('completion:complete', { serverId, ref: completionRef, argument: { name, value }, context })
        .then((r) => live && setValues(r.values))
        .catch(() => live && setValues([]));
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // completionRef and context are compared by value.
  }, [serverId, completes, refKey, name, value, contextKey]);
  return (
    <>
      <input className="input" value={value} onChange={(e) => onChange(e.target.value)} list={completes ? listId : undefined} autoComplete="off" {...input} />
      {completes && (
        <datalist id={listId} data-testid={`suggestions-${name}`}>
          {values.map((v) => (
            <option key={v} value={v} />
          ))}
        </datalist>
      )}
    </>
  );
}
