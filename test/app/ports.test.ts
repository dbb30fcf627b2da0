// The Electron ports against a fake electron: the keychain cipher (and when there is none to use), links only through
// the URL gate, desktop notifications only where the OS has them, the file and folder chooser through the open dialog.
import { describe, expect, it, vi } from 'vitest';
import { fakeSafeStorage } from '../helpers/fake-electron.js';

const opened: string[] = [];
const shown: Array<{ title: string; body: string }> = [];
let notificationsSupported = true;
const dialogs: Array<{ parent: unknown; options: { title?: string; properties?: string[] } }> = [];
let dialogAnswer: { canceled: boolean; filePaths: string[] } = { canceled: true, filePaths: [] };
vi.mock('electron', () => ({
  dialog: {
    showOpenDialog(...args: unknown[]) {
      const [parent, options] = args.length === 2 ? args : [null, args[0]];
      dialogs.push({ parent, options: options as { title?: string; properties?: string[] } });
      return Promise.resolve(dialogAnswer);
    },
  },
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
const { keychainCipher, gatedShell, desktopNotifier, dialogPicker } = await import('../../main/app/ports.js');

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

describe('the file and folder chooser', () => {
  it('asks the open dialog over the window for a folder (one may be created there) or a file, and says when it was cancelled', async () => {
    const window = { id: 'main-window' };
    const picker = dialogPicker(() => window as never);
    dialogAnswer = { canceled: false, filePaths: ['/home/ada/notes'] };
    expect(await picker.pick('directory', 'Notes folder')).toBe('/home/ada/notes');
    dialogAnswer = { canceled: false, filePaths: ['/home/ada/key.pem'] };
    expect(await picker.pick('file', 'Key file')).toBe('/home/ada/key.pem');
    dialogAnswer = { canceled: true, filePaths: [] };
    expect(await picker.pick('file', 'Key file')).toBeNull();
    expect(dialogs.map((d) => [d.parent, d.options.title, d.options.properties?.[0]])).toEqual([
      [window, 'Notes folder', 'openDirectory'],
      [window, 'Key file', 'openFile'],
      [window, 'Key file', 'openFile'],
    ]);
    expect(dialogs[0]?.options.properties).toContain('createDirectory');
  });

  it('without a window it still opens, on its own', async () => {
    dialogs.length = 0;
    dialogAnswer = { canceled: false, filePaths: ['/tmp/x'] };
    expect(await dialogPicker(() => undefined).pick('file', 'A file')).toBe('/tmp/x');
    expect(dialogs[0]?.parent).toBeNull();
  });
});
