// Where commands are looked for when PATH is poor, and in which order, per platform.
import { describe, expect, it } from 'vitest';
import { resolveCommand, searchDirs, usualBinDirs } from '../../../main/core/security/resolve-command.js';
import { fakeFs } from './fake-fs.js';

const HOME = '/home/ada';
const empty = fakeFs({});

describe('usualBinDirs', () => {
  it('darwin looks in Homebrew first, linux never does; only linux has snaps', () => {
    const mac = usualBinDirs('darwin', '/Users/ada', empty);
    const linux = usualBinDirs('linux', HOME, empty);
    expect(mac.slice(0, 2)).toEqual(['/opt/homebrew/bin', '/opt/homebrew/sbin']);
    expect(linux.some((d) => d.startsWith('/opt/homebrew'))).toBe(false);
    expect(linux).toContain('/snap/bin');
    expect(mac).not.toContain('/snap/bin');
  });

  it('covers the version managers in the home folder', () => {
    expect(usualBinDirs('linux', HOME, empty)).toEqual(
      expect.arrayContaining([
        `${HOME}/.local/bin`,
        `${HOME}/.volta/bin`,
        `${HOME}/.fnm/aliases/default/bin`,
        `${HOME}/.asdf/shims`,
        `${HOME}/.bun/bin`,
        `${HOME}/.cargo/bin`,
      ]),
    );
  });

  it('lists nvm versions newest first and ignores entries that are not versions', () => {
    const root = `${HOME}/.nvm/versions/node`;
    const fs = fakeFs({ dirs: ['v9.11.2', 'v10.0.0', 'v20.9.0', 'v20.11.1', 'v18.20.4', 'current', '.DS_Store'].map((v) => `${root}/${v}`) });
    const nvm = usualBinDirs('linux', HOME, fs).filter((d) => d.startsWith(root));
    expect(nvm).toEqual(['v20.11.1', 'v20.9.0', 'v18.20.4', 'v10.0.0', 'v9.11.2'].map((v) => `${root}/${v}/bin`));
  });

  it('windows: npm global and Program Files, with windows separators', () => {
    expect(usualBinDirs('win32', 'C:\\Users\\ada', empty).slice(0, 2)).toEqual(['C:\\Users\\ada\\AppData\\Roaming\\npm', 'C:\\Program Files\\nodejs']);
  });
});

describe('searchDirs', () => {
  it('PATH first, then the usual places, each folder once, relative entries dropped', () => {
    const dirs = searchDirs({ platform: 'linux', homeDir: HOME, pathEnv: '/usr/bin::./bin:relative:/opt/x/bin:/usr/bin', cwd: HOME }, empty);
    expect(dirs.slice(0, 3)).toEqual(['/usr/bin', '/opt/x/bin', '/usr/local/bin']);
    expect(dirs.filter((d) => d === '/usr/bin')).toHaveLength(1);
    expect(dirs.every((d) => d.startsWith('/'))).toBe(true);
  });
});

describe('resolveCommand', () => {
  const rows: Array<{ name: string; command: string; files: string[]; pathEnv?: string; pathExt?: string; expected: string | undefined }> = [
    { name: 'bare name on PATH', command: 'node', files: ['/opt/node/bin/node'], pathEnv: '/opt/node/bin', expected: '/opt/node/bin/node' },
    { name: 'bare name nowhere', command: 'node', files: [], pathEnv: '/usr/bin', expected: undefined },
    { name: 'a relative path is never searched on PATH', command: 'bin/node', files: ['/usr/bin/node'], pathEnv: '/usr', expected: undefined },
    { name: 'a relative path resolves against cwd', command: 'bin/node', files: [`${HOME}/bin/node`], pathEnv: '/usr/bin', expected: `${HOME}/bin/node` },
    {
      name: '~/ expands to the home folder',
      command: '~/bin/tool',
      files: [`${HOME}/bin/tool`, '/usr/bin/tool'],
      pathEnv: '/usr/bin',
      expected: `${HOME}/bin/tool`,
    },
  ];

  it.each(rows)('$name', ({ command, files, pathEnv, pathExt, expected }) => {
    expect(resolveCommand(command, { platform: 'linux', homeDir: HOME, pathEnv, pathExt, cwd: HOME }, fakeFs({ files }))).toBe(expected);
  });

  it('windows: the default PATHEXT applies when the host has none', () => {
    const fs = fakeFs({ files: ['D:\\bin\\tool.bat'] }, 'win32');
    expect(resolveCommand('tool', { platform: 'win32', homeDir: 'C:\\Users\\ada', pathEnv: 'D:\\bin', pathExt: undefined, cwd: 'C:\\Users\\ada' }, fs)).toBe(
      'D:\\bin\\tool.bat',
    );
  });

  it('windows: an explicit extension is used as given', () => {
    const fs = fakeFs({ files: ['D:\\bin\\tool.cmd', 'D:\\bin\\tool.exe'] }, 'win32');
    expect(
      resolveCommand('tool.cmd', { platform: 'win32', homeDir: 'C:\\Users\\ada', pathEnv: 'D:\\bin', pathExt: '.EXE;.CMD', cwd: 'C:\\Users\\ada' }, fs),
    ).toBe('D:\\bin\\tool.cmd');
  });

  it('linux ignores PATHEXT', () => {
    const fs = fakeFs({ files: ['/usr/bin/tool.exe'] });
    expect(resolveCommand('tool', { platform: 'linux', homeDir: HOME, pathEnv: '/usr/bin', pathExt: '.EXE', cwd: HOME }, fs)).toBeUndefined();
  });
});
