// What stops a followed tool call behaves, for everything the SDK reads of a request's signal, as an AbortController's
// signal does: aborted and reason, one abort event (a listener added twice hears it once), a removed listener hears
// nothing, a second abort changes nothing, and a listener added after the abort is never called.
import { describe, expect, it } from 'vitest';
import { CallStop } from '../../../main/core/sessions/call-stop.js';

function watched(make: () => { signal: AbortSignal; abort: (reason?: unknown) => void }) {
  const stop = make();
  const heard: unknown[] = [];
  const removed: unknown[] = [];
  const onRemoved = () => removed.push(stop.signal.reason);
  const onAbort = () => heard.push(stop.signal.reason);
  stop.signal.addEventListener('abort', onAbort, { once: true });
  stop.signal.addEventListener('abort', onAbort, { once: true });
  stop.signal.addEventListener('abort', onRemoved, { once: true });
  stop.signal.removeEventListener('abort', onRemoved);
  const before = stop.signal.aborted;
  stop.abort('first');
  stop.abort('second');
  stop.signal.addEventListener('abort', () => heard.push('too late'));
  return { before, after: stop.signal.aborted, reason: stop.signal.reason as unknown, heard, removed };
}

describe('CallStop', () => {
  it('is read and heard as an AbortController signal is', () => {
    const real = watched(() => new AbortController());
    expect(watched(() => new CallStop())).toEqual(real);
    expect(real).toEqual({ before: false, after: true, reason: 'first', heard: ['first'], removed: [] });
  });

  it('gives the same default reason as an AbortController', () => {
    const stop = new CallStop();
    stop.abort();
    const controller = new AbortController();
    controller.abort();
    expect(stop.reason).toBeInstanceOf(DOMException);
    expect((stop.reason as DOMException).name).toBe((controller.signal.reason as DOMException).name);
  });
});
