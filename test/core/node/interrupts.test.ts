// The one signal handler of the Node front ends, driven with a fake clock and recorded effects: what each sequence of
// Ctrl+C presses (and SIGTERM) does.
import { describe, expect, it } from 'vitest';
import { Interrupts } from '../../../main/core/node/index.js';

function rig() {
  let now = 1_000_000;
  const effects: string[] = [];
  const interrupts = new Interrupts({
    shutdown: (code) => {
      effects.push(`shutdown ${code}`);
      return Promise.resolve();
    },
    killNow: () => void effects.push('killNow'),
    exit: (code) => void effects.push(`exit ${code}`),
    note: (line) => void effects.push(`note ${line.includes('cancelling') ? 'cancelling' : line.includes('at once') ? 'at once' : line}`),
    now: () => now,
  });
  return { interrupts, effects, advance: (ms: number) => void (now += ms) };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('interrupts', () => {
  it('the first Ctrl+C runs the command’s cancel; the second within two seconds kills what was started and exits 130', async () => {
    const { interrupts, effects, advance } = rig();
    let cancelled = 0;
    const running = interrupts.during(
      () => void (cancelled += 1),
      () => new Promise(() => undefined),
    );
    void running;
    interrupts.handle('SIGINT');
    await settle();
    expect(cancelled).toBe(1);
    expect(interrupts.interrupted).toBe(true);
    advance(1999);
    interrupts.handle('SIGINT');
    expect(effects).toEqual(['note cancelling', 'note at once', 'killNow', 'exit 130']);
  });

  it('a second press after two seconds is a first press again: it shuts down in order', async () => {
    const { interrupts, effects, advance } = rig();
    void interrupts.during(
      () => undefined,
      () => new Promise(() => undefined),
    );
    interrupts.handle('SIGINT');
    advance(2001);
    interrupts.handle('SIGINT');
    await settle();
    expect(effects).toEqual(['note cancelling', 'shutdown 130']);
  });

  it('without a command to cancel, Ctrl+C shuts down in order (130) and SIGTERM too (143), once', () => {
    const first = rig();
    first.interrupts.handle('SIGINT');
    first.interrupts.handle('SIGTERM');
    expect(first.effects).toEqual(['shutdown 130']);
    const term = rig();
    term.interrupts.handle('SIGTERM');
    term.interrupts.handle('SIGTERM');
    expect(term.effects).toEqual(['shutdown 143']);
  });

  it('a cancel that fails still stops: the user asked to', async () => {
    const { interrupts, effects } = rig();
    void interrupts.during(
      () => {
        throw new Error('the server does not let its tasks be cancelled');
      },
      () => new Promise(() => undefined),
    );
    interrupts.handle('SIGINT');
    await settle();
    expect(effects).toEqual(['note cancelling', 'note steward: could not cancel: the server does not let its tasks be cancelled', 'shutdown 130']);
  });

  it('a cancel registered for a call that has ended is not run', async () => {
    const { interrupts, effects } = rig();
    let cancelled = 0;
    await interrupts.during(
      () => void (cancelled += 1),
      () => Promise.resolve('done'),
    );
    interrupts.handle('SIGINT');
    await settle();
    expect(cancelled).toBe(0);
    expect(effects).toEqual(['shutdown 130']);
  });

  it('next() resolves with the signal that ended a foreground command', async () => {
    const a = rig();
    const int = a.interrupts.next();
    a.interrupts.handle('SIGINT');
    expect(await int).toBe('SIGINT');
    const b = rig();
    const term = b.interrupts.next();
    b.interrupts.handle('SIGTERM');
    expect(await term).toBe('SIGTERM');
  });
});
