// Calls whose answer depends on the front end: the file and folder chooser exists only where the front end gives one
// (the desktop app); elsewhere the call says so with a stable code. Hostile payloads tried: an unknown kind, no title.
import { afterEach, describe, expect, it } from 'vitest';
import { makeHost, type TestHost } from '../helpers/host.js';

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('paths:pick', () => {
  it('is not supported where the front end has no chooser (browser mode, the CLI)', async () => {
    t = await makeHost();
    expect(await t.host.dispatch('paths:pick', { kind: 'directory', title: 'Notes folder' })).toMatchObject({ ok: false, code: 'not_supported' });
  });

  it("answers with the front end's choice, or null when cancelled", async () => {
    const asked: string[] = [];
    let answer: string | null = '/home/ada/notes';
    t = await makeHost({
      pathPicker: {
        pick: (kind, title) => {
          asked.push(`${kind}:${title}`);
          return Promise.resolve(answer);
        },
      },
    });
    expect(await t.host.dispatch('paths:pick', { kind: 'directory', title: 'Notes folder' })).toEqual({ ok: true, data: { path: '/home/ada/notes' } });
    answer = null;
    expect(await t.host.dispatch('paths:pick', { kind: 'file', title: 'Key' })).toEqual({ ok: true, data: { path: null } });
    expect(await t.host.dispatch('paths:pick', { kind: 'socket', title: 'x' })).toMatchObject({ ok: false, code: 'invalid_payload' });
    expect(await t.host.dispatch('paths:pick', { kind: 'file', title: '' })).toMatchObject({ ok: false, code: 'invalid_payload' });
    expect(asked).toEqual(['directory:Notes folder', 'file:Key']);
  });
});
