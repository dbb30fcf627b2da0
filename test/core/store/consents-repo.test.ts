// Consent decisions per (server, spec hash): upserted, the latest one found, forgotten per server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type ConsentRecord, type Store } from '../../../main/core/store/index.js';
import { serverRecord, tempDbDir, type TempDir } from './temp-store.js';

let tmp: TempDir;
let store: Store;
beforeEach(() => {
  tmp = tempDbDir();
  store = openStore(tmp.file);
  store.servers.insert(serverRecord('a'));
  store.servers.insert(serverRecord('b'));
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

const consent = (serverId: string, specHash: string, decidedAt: string, decision: ConsentRecord['decision'] = 'approved'): ConsentRecord => ({
  serverId,
  specHash,
  spec: JSON.stringify({ command: '/usr/bin/node', hash: specHash }),
  decision,
  decidedBy: 'user',
  decidedAt,
});
const rows = () => store.db.prepare('SELECT count(*) FROM consents').pluck().get();

describe('ConsentsRepo', () => {
  it('finds a decision only for its exact server and hash', () => {
    const c = consent('a', 'h1', '2025-01-01T00:00:00.000Z');
    store.consents.record(c);
    expect(store.consents.find('a', 'h1')).toEqual(c);
    expect(store.consents.find('a', 'h2')).toBeUndefined();
    expect(store.consents.find('b', 'h1')).toBeUndefined();
  });

  it('a new decision for the same hash replaces the old one', () => {
    store.consents.record(consent('a', 'h1', '2025-01-01T00:00:00.000Z', 'approved'));
    const denied = { ...consent('a', 'h1', '2025-01-02T00:00:00.000Z', 'denied'), decidedBy: 'policy' };
    store.consents.record(denied);
    expect(store.consents.find('a', 'h1')).toEqual(denied);
    expect(rows()).toBe(1);
  });

  it('latest is the most recent decision, including a re-decided older hash', () => {
    expect(store.consents.latest('a')).toBeUndefined();
    store.consents.record(consent('a', 'h1', '2025-01-01T00:00:00.000Z'));
    store.consents.record(consent('a', 'h2', '2025-01-02T00:00:00.000Z'));
    store.consents.record(consent('b', 'hb', '2025-01-09T00:00:00.000Z'));
    expect(store.consents.latest('a')?.specHash).toBe('h2');
    store.consents.record(consent('a', 'h1', '2025-01-03T00:00:00.000Z', 'denied'));
    expect(store.consents.latest('a')).toMatchObject({ specHash: 'h1', decision: 'denied' });
  });

  it('on equal times the later record wins', () => {
    store.consents.record(consent('a', 'h1', '2025-01-01T00:00:00.000Z'));
    store.consents.record(consent('a', 'h2', '2025-01-01T00:00:00.000Z'));
    expect(store.consents.latest('a')?.specHash).toBe('h2');
  });

  it('forget drops every decision of one server only', () => {
    store.consents.record(consent('a', 'h1', '2025-01-01T00:00:00.000Z'));
    store.consents.record(consent('a', 'h2', '2025-01-02T00:00:00.000Z'));
    store.consents.record(consent('b', 'hb', '2025-01-01T00:00:00.000Z'));
    store.consents.forget('a');
    expect(store.consents.latest('a')).toBeUndefined();
    expect(store.consents.find('a', 'h1')).toBeUndefined();
    expect(store.consents.find('b', 'hb')?.decision).toBe('approved');
  });

  it('refuses a decision for a server that does not exist', () => {
    expect(() => store.consents.record(consent('ghost', 'h', '2025-01-01T00:00:00.000Z'))).toThrow(/FOREIGN KEY/);
  });
});
