// Work nobody waits for: a failing step or a rejected promise is reported, and the caller carries on.
import { describe, expect, it } from 'vitest';
import { detached, guarded } from '../../main/core/background.js';

function reporter() {
  const reported: Array<{ where: string; error: unknown }> = [];
  return { reported, unexpected: (where: string, error: unknown) => reported.push({ where, error }) };
}

describe('guarded', () => {
  it('reports a throwing step and returns, so a timer or loop can take its next turn', () => {
    const { reported, unexpected } = reporter();
    const boom = new Error('disk full');
    const ran: number[] = [];
    for (const tick of [1, 2, 3]) {
      guarded(unexpected, `tick ${tick}`, () => {
        if (tick === 2) throw boom;
        ran.push(tick);
      });
    }
    expect(ran).toEqual([1, 3]);
    expect(reported).toEqual([{ where: 'tick 2', error: boom }]);
  });
});

describe('detached', () => {
  it('reports a rejection instead of leaving it unhandled', async () => {
    const { reported, unexpected } = reporter();
    const boom = new Error('connection reset');
    detached(unexpected, 'closing a session', Promise.reject(boom));
    detached(unexpected, 'stopping a server', Promise.resolve('fine'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(reported).toEqual([{ where: 'closing a session', error: boom }]);
  });
});
