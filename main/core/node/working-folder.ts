// Where a long-running Steward (the desktop app, browser mode) works from when it was started from the filesystem's root.
import { homedir } from 'node:os';
import { parse } from 'node:path';

export interface WorkingFolderDeps {
  cwd(): string;
  chdir(folder: string): void;
  home(): string;
}

const nodeDeps: WorkingFolderDeps = { cwd: () => process.cwd(), chdir: (folder) => process.chdir(folder), home: homedir };

/**
 * The OS sandbox looks for files no server may write (shell start-up files, git hooks and config) in and below the host's
 * own working folder, on every sandboxed launch. From the root that look walks the whole disk, /proc included, until
 * its ten-second limit: every server took ten seconds to start. An app started by a service manager or some launchers
 * begins there; it moves to the home folder, where desktops start apps, and the look covers what it usually covers.
 * Returns the folder it works from. Not for the CLI: there a relative path the user typed means the shell's folder.
 */
export function leaveFilesystemRoot(deps: WorkingFolderDeps = nodeDeps): string {
  const cwd = deps.cwd();
  if (parse(cwd).root !== cwd) return cwd;
  const home = deps.home();
  if (!home || parse(home).root === home) return cwd;
  try {
    deps.chdir(home);
    return home;
  } catch {
    // A home folder that cannot be entered leaves things as they were: slower sandboxed starts, nothing worse.
    return cwd;
  }
}
