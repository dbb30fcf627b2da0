// The theme setting through the contract: System by default, kept in the data folder, heard by every window, and
// changed by another process on the same data folder (a second connection writing the settings table).
// Hostile input tried: a theme outside the three, a stored value that is not an appearance (read as the default).
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Appearance } from '../../shared/domain/appearance.js';
import { openStore } from '../../main/core/store/index.js';
import { makeHost, type TestHost } from '../helpers/host.js';
import { waitFor } from '../helpers/cli.js';

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('appearance', () => {
  it('is System at first, keeps what the user sets, and tells every window of a change once', async () => {
    t = await makeHost();
    const heard: Appearance[] = [];
    t.host.events.on('appearance:changed', (a) => heard.push(a));
    expect(await t.host.dispatch('appearance:get', {})).toEqual({ ok: true, data: { theme: 'system' } });
    expect(await t.host.dispatch('appearance:set', { theme: 'dark' })).toEqual({ ok: true, data: { theme: 'dark' } });
    // Setting the same again is no change to announce.
    await t.host.dispatch('appearance:set', { theme: 'dark' });
    expect(heard).toEqual([{ theme: 'dark' }]);

    const refused = await t.host.dispatch('appearance:set', { theme: 'neon' });
    expect(refused).toMatchObject({ ok: false, code: 'invalid_payload' });
    expect(await t.host.dispatch('appearance:get', {})).toEqual({ ok: true, data: { theme: 'dark' } });
  });

  it('follows a change made by another process, and reads a value it does not understand as System', async () => {
    t = await makeHost({ changePollMs: 20 });
    const heard: Appearance[] = [];
    t.host.events.on('appearance:changed', (a) => heard.push(a));
    const other = openStore(join(t.dir, 'data', 'steward.db'));
    try {
      other.settings.put('appearance', { theme: 'light' });
      await waitFor('the change from the other process', () => heard.find((a) => a.theme === 'light'));
      expect(t.host.appearance.get()).toEqual({ theme: 'light' });

      other.settings.put('appearance', { theme: '<script>' });
      await waitFor('the unreadable value taken as System', () => heard.find((a) => a.theme === 'system'));
      expect(await t.host.dispatch('appearance:get', {})).toEqual({ ok: true, data: { theme: 'system' } });
    } finally {
      other.close();
    }
  });
});
