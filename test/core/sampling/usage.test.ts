// The budget meter on its one port (the day's token usage as recorded) and a clock that moves only when told: no SQLite.
import { describe, expect, it } from 'vitest';
import { UsageMeter } from '../../../main/core/sampling/usage.js';
import { FakeClock } from '../../helpers/clock.js';

const HOUR = 3_600_000;

function rig(recorded: Record<string, { at: string; tokens: number }[]>) {
  const clock = new FakeClock();
  const reads: string[] = [];
  const rounds = {
    usageSince: (serverId: string, since: string) => {
      reads.push(serverId);
      return (recorded[serverId] ?? []).filter((r) => r.at >= since);
    },
  };
  return { clock, reads, meter: new UsageMeter(rounds, clock) };
}

describe('the sampling budget meter on its narrow port', () => {
  it('counts the last 24 hours of tokens: read once per server, kept up to date, old rounds leave the window', () => {
    const start = Date.parse('2026-03-01T09:00:00.000Z');
    const at = (ms: number) => new Date(start + ms).toISOString();
    const { clock, reads, meter } = rig({
      s1: [
        { at: at(-23 * HOUR), tokens: 700 },
        { at: at(-25 * HOUR), tokens: 5000 },
      ],
    });
    expect(meter.tokensLastDay('s1')).toBe(700);
    meter.addTokens('s1', 300);
    expect(meter.tokensLastDay('s1')).toBe(1000);
    expect(reads).toEqual(['s1']);

    clock.advance(HOUR + 1);
    expect(meter.tokensLastDay('s1')).toBe(300);
    expect(meter.tokensLastDay('s2')).toBe(0);
    expect(reads).toEqual(['s1', 's2']);
  });

  it('reads the record again after another process recorded rounds', () => {
    const recorded = { s1: [] as { at: string; tokens: number }[] };
    const { meter, reads } = rig(recorded);
    expect(meter.tokensLastDay('s1')).toBe(0);
    recorded.s1.push({ at: '2026-03-01T08:59:00.000Z', tokens: 42 });
    expect(meter.tokensLastDay('s1')).toBe(0);
    meter.clear();
    expect(meter.tokensLastDay('s1')).toBe(42);
    expect(reads).toEqual(['s1', 's1']);
  });

  it('counts requests in the last minute per server', () => {
    const { clock, meter } = rig({});
    meter.noteRequest('s1');
    clock.advance(30_000);
    meter.noteRequest('s1');
    meter.noteRequest('s2');
    expect(meter.requestsLastMinute('s1')).toBe(2);
    clock.advance(30_000);
    expect(meter.requestsLastMinute('s1')).toBe(1);
    expect(meter.requestsLastMinute('s2')).toBe(1);
  });
});
