// Where Steward keeps its database and files: STEWARD_HOME, else the per-OS app-data folder Electron would use.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(env: Readonly<Record<string, string | undefined>> = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.STEWARD_HOME) return env.STEWARD_HOME;
  const home = env.HOME ?? homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Steward');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Steward');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Steward');
}
