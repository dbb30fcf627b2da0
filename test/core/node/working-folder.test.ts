// The working folder of a long-running Steward: away from the filesystem's root (where every sandboxed launch would walk
// the whole disk), and nowhere else moved. Tried: the root, a project folder, a home that is the root itself, no home,
// a home that cannot be entered, and a Windows drive root.
import { describe, expect, it } from 'vitest';
import { leaveFilesystemRoot } from '../../../main/core/node/working-folder.js';

function folders(cwd: string, home: string, refuse = false) {
  const moves: string[] = [];
  let at = cwd;
  const deps = {
    cwd: () => at,
    home: () => home,
    chdir: (folder: string) => {
      if (refuse) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
      moves.push(folder);
      at = folder;
    },
  };
  return { deps, moves, at: () => at };
}

describe('the working folder', () => {
  it('moves from the root to the home folder', () => {
    const f = folders('/', '/home/ada');
    expect(leaveFilesystemRoot(f.deps)).toBe('/home/ada');
    expect(f.moves).toEqual(['/home/ada']);
  });

  it('stays anywhere else', () => {
    const f = folders('/home/ada/project', '/home/ada');
    expect(leaveFilesystemRoot(f.deps)).toBe('/home/ada/project');
    expect(f.moves).toEqual([]);
  });

  it('stays at the root when the home folder is the root or unknown', () => {
    for (const home of ['/', '']) {
      const f = folders('/', home);
      expect(leaveFilesystemRoot(f.deps)).toBe('/');
      expect(f.moves).toEqual([]);
    }
  });

  it('stays where it is when the home folder cannot be entered', () => {
    const f = folders('/', '/home/ada', true);
    expect(leaveFilesystemRoot(f.deps)).toBe('/');
    expect(f.at()).toBe('/');
  });
});
