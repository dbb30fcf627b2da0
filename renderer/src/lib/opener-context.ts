// A context through which any screen opens the one dialog a provider holds (consent, sampling, a question, sign-in),
// and the hook that reads it, failing loudly when the provider is missing.
import { createContext, useContext, type Context } from 'react';

export function openerContext<T>(hook: string, provider: string): [Context<T | null>, () => T] {
  const context = createContext<T | null>(null);
  const use = (): T => {
    const opener = useContext(context);
    if (!opener) throw new Error(`${hook} needs a ${provider} above it.`);
    return opener;
  };
  return [context, use];
}
