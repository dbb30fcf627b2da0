// The Electron ports against a fake electron: the keychain cipher (and when there is none to use), links only through
// the URL gate, desktop notifications only where the OS has them.
import { describe, expect, it, vi } from 'vitest';
import { fakeSafeStorage } from '../helpers/fake-electron.js';

const opened: string[] = [];
const shown: Array<{ title: string; body: string }> = [];
let notificationsSupported = true;
vi.mock('electron', () => ({
  safeStorage: fakeSafeStorage(),
  shell: {
    openExternal: (url: string) => {
      opened.push(url);
      return Promise.resolve();
    },
  },
  Notification: class {
    static isSupported = () => notificationsSupported;
    constructor(private readonly options: { title: string; body: string }) {}
    show() {
      shown.push({ title: this.options.title, body: this.options.body });
    }
  },
}));
const { keychainCipher, gatedShell, desktopNotifier } = await import('../../main/app/ports.js');

describe('the keychain cipher', () => {
  it('seals and opens through safeStorage, tagged as the keychain, never in the clear', async () => {
    const cipher = (await keychainCipher(fakeSafeStorage() as never, 'linux'))!;
    expect(cipher.tag).toBe('keychain');
    const sealed = await cipher.seal('sk-ant-secret');
    expect(sealed).not.toContain('sk-ant-secret');
    expect(Buffer.from(sealed, 'base64').toString()).toMatch(/^sealed\(/);
    expect(await cipher.open(sealed)).toBe('sk-ant-secret');
    await expect(cipher.open(Buffer.from('tampered').toString('base64'))).rejects.toThrow();
  });

  it.each([
    ['no encryption available', { available: false }, 'darwin', false],
    ['Linux with the basic_text fallback', { backend: 'basic_text' }, 'linux', false],
    ['Linux with libsecret', { backend: 'gnome_libsecret' }, 'linux', true],
    ['macOS Keychain', {}, 'darwin', true],
  ] as const)('%s → keychain used: %s', async (_what, storage, platform, used) => {
    expect((await keychainCipher(fakeSafeStorage(storage) as never, platform)) !== null).toBe(used);
  });
});

describe('links and notifications', () => {
  it('opens only what the URL gate allows', async () => {
    await gatedShell.open('https://example.com/docs');
    await expect(gatedShell.open('javascript:alert(1)')).rejects.toThrow(/Refused/);
    await expect(gatedShell.open('file:///etc/passwd')).rejects.toThrow(/Refused/);
    expect(opened).toEqual(['https://example.com/docs']);
  });

  it('shows a notification where the OS supports them, and nothing elsewhere', () => {
    desktopNotifier.notify('Task finished', 'job on local');
    notificationsSupported = false;
    desktopNotifier.notify('Not shown', '');
    expect(shown).toEqual([{ title: 'Task finished', body: 'job on local' }]);
  });
});
