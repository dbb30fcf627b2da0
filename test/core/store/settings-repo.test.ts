// Small host settings: JSON values by key, a damaged value read as missing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../main/core/store/index.js';
import { tempDbDir, type TempDir } from './temp-store.js';

let tmp: TempDir;
let store: Store;
beforeEach(() => {
  tmp = tempDbDir();
  store = openStore(tmp.file);
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

describe('SettingsRepo', () => {
  it('round-trips JSON values and overwrites by key', () => {
    expect(store.settings.get('missing')).toBeUndefined();
    store.settings.put('firstRun', { done: true, at: '2025-01-01' });
    store.settings.put('theme', 'dark');
    store.settings.put('theme', 'light');
    expect(store.settings.get('firstRun')).toEqual({ done: true, at: '2025-01-01' });
    expect(store.settings.get('theme')).toBe('light');
  });

  it('reads a damaged value as missing', () => {
    store.db.prepare("INSERT INTO settings (key, value) VALUES ('broken', '{nope')").run();
    expect(store.settings.get('broken')).toBeUndefined();
  });
});
