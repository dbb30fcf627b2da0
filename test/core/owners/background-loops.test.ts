// The two loops every host runs beside its work, the lease renewal and the change feed's poll, when the database
// fails under them (busy past its timeout, a disk error): the failure is reported, the process stays up, and the
// next tick does the work. Tried: a renewal that throws once, a version read and a revisions read that throw once.
import { afterEach, describe, expect, it } from 'vitest';
import { ChangeFeed, Ownership, type OwnersPort } from '../../../main/core/owners/index.js';
import type { OwnerKey, OwnerRecord } from '../../../main/core/store/index.js';

const disposers: Array<() => void> = [];
afterEach(() => {
  for (const dispose of disposers.splice(0)) dispose();
});

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!ok()) throw new Error(`timed out waiting for ${what}`);
}

describe('the lease renewal loop', () => {
  it('reports a renewal the database refused and renews on the next tick', async () => {
    const rows = new Map<string, OwnerRecord>();
    const keyOf = (o: OwnerKey) => `${o.pid}:${o.started}`;
    let renewals = 0;
    const owners: OwnersPort = {
      put: (o) => void rows.set(keyOf(o), o),
      renew: (o, leaseUntil) => {
        renewals += 1;
        if (renewals === 1) throw new Error('SQLITE_BUSY: database is locked');
        const row = rows.get(keyOf(o));
        if (row) rows.set(keyOf(o), { ...row, leaseUntil });
        return row !== undefined;
      },
      get: (o) => rows.get(keyOf(o)),
      list: () => [...rows.values()],
      remove: (o) => rows.delete(keyOf(o)),
    };
    const reported: string[] = [];
    const self = { pid: process.pid, started: 'now' };
    const ownership = new Ownership({
      self,
      kind: 'host',
      owners,
      running: () => true,
      now: () => Date.now(),
      leaseMs: 150,
      ownerDied: () => undefined,
      unexpected: (where: string, error: unknown) => reported.push(`${where}: ${String(error)}`),
    });
    disposers.push(() => ownership.dispose());
    ownership.register(null);
    const first = rows.get(keyOf(self))!.leaseUntil;
    await until('a renewal after the failed one', () => renewals >= 2);
    expect(reported).toEqual([expect.stringContaining('SQLITE_BUSY')]);
    expect(rows.get(keyOf(self))!.leaseUntil).toBeGreaterThanOrEqual(first);
  });
});

describe('the change feed poll', () => {
  it.each(['dataVersion', 'revisions'] as const)('reports a failed %s read, and the change is still seen on the next tick', async (failing) => {
    let version = 1;
    let revision = 1;
    let failures = 0;
    let armed = false;
    const fail = (what: typeof failing) => {
      if (armed && what === failing && failures === 0) {
        failures += 1;
        throw new Error('SQLITE_IOERR: disk I/O error');
      }
    };
    const feed = new ChangeFeed(
      {
        dataVersion: () => {
          fail('dataVersion');
          return version;
        },
        revisions: () => {
          fail('revisions');
          return new Map([['policies', revision]]);
        },
      },
      (error) => reported.push(String(error)),
    );
    const reported: string[] = [];
    disposers.push(() => feed.dispose());
    let heard = 0;
    feed.on('policies', () => (heard += 1));
    // Another process commits a policy change; the first look at it fails.
    version = 2;
    revision = 2;
    armed = true;
    feed.start(20);
    await until('the change to be heard', () => heard === 1);
    expect(failures).toBe(1);
    expect(reported).toEqual([expect.stringContaining('SQLITE_IOERR')]);
  });
});
