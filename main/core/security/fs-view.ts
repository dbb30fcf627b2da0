// The few filesystem questions launch planning asks, behind an interface so planning stays a pure function.
import { accessSync, constants, readdirSync, realpathSync, statSync } from 'node:fs';

export interface FsView {
  isExecutableFile(path: string): boolean;
  isDirectory(path: string): boolean;
  listDir(path: string): string[];
  /** The path with every symlink resolved; the path itself when it cannot be resolved. */
  realPath(path: string): string;
}

export const nodeFsView: FsView = {
  isExecutableFile(path) {
    try {
      if (!statSync(path).isFile()) return false;
      if (process.platform === 'win32') return true;
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
  isDirectory(path) {
    try {
      return statSync(path).isDirectory();
    } catch {
      return false;
    }
  },
  listDir(path) {
    try {
      return readdirSync(path);
    } catch {
      return [];
    }
  },
  realPath(path) {
    try {
      return realpathSync(path);
    } catch {
      return path;
    }
  },
};
