// A dialog's answer to a server's pending request: which answer was chosen (its button shows the busy label), the call
// itself, and whether the request is gone (no longer waited for, and no answer of ours on its way).
import { useState } from 'react';
import { useAction, type Action } from './use-action.js';

export interface Answering<A extends string> {
  choice: A | null;
  decide: Action<[A]>;
  gone: boolean;
  /** Sends the answer, unless one is already on its way. */
  answer: (choice: A) => void;
}

export function useAnswer<A extends string>(waiting: boolean, send: (choice: A) => Promise<void>): Answering<A> {
  const [choice, setChoice] = useState<A | null>(null);
  const decide = useAction(async (next: A) => {
    setChoice(next);
    await send(next);
  });
  const gone = !waiting && !decide.pending;
  const answer = (next: A) => {
    if (!decide.pending) void decide.run(next);
  };
  return { choice, decide, gone, answer };
}
