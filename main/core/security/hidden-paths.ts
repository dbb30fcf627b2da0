// The one list, per OS, of locations no sandboxed server may read: credentials, keys, history, browser profiles,
// other hosts' configs (they hold servers' secrets) and Steward's own data. The sandbox hides them; the consent flags them.
import { normalizeAbsolute, pathApi, type Platform } from './platform-paths.js';

export type HiddenKind = 'credentials' | 'keys' | 'history' | 'browser' | 'host-config' | 'steward';

export interface HiddenLocation {
  path: string;
  /** What lives there, for the consent screen and refusals: "SSH keys". */
  what: string;
  kind: HiddenKind;
}

type Entry = readonly [relative: string, what: string, kind: HiddenKind];

/** Relative to the home folder, on every OS that has them. */
const COMMON: readonly Entry[] = [
  ['.ssh', 'SSH keys', 'keys'],
  ['.gnupg', 'GPG keys', 'keys'],
  ['.password-store', 'the pass password store', 'keys'],
  ['.aws', 'AWS credentials', 'credentials'],
  ['.azure', 'Azure credentials', 'credentials'],
  ['.config/gcloud', 'Google Cloud credentials', 'credentials'],
  ['.oci', 'Oracle Cloud credentials', 'credentials'],
  ['.config/doctl', 'DigitalOcean credentials', 'credentials'],
  ['.config/hcloud', 'Hetzner Cloud credentials', 'credentials'],
  ['.fly', 'Fly.io credentials', 'credentials'],
  ['.config/heroku', 'Heroku credentials', 'credentials'],
  ['.databrickscfg', 'Databricks credentials', 'credentials'],
  ['.s3cfg', 'S3 credentials', 'credentials'],
  ['.boto', 'Google Storage credentials', 'credentials'],
  ['.vault-token', 'a Vault token', 'credentials'],
  ['.terraform.d', 'Terraform credentials', 'credentials'],
  ['.kube', 'Kubernetes credentials', 'credentials'],
  ['.docker', 'Docker registry credentials', 'credentials'],
  ['.netrc', 'netrc passwords', 'credentials'],
  ['.git-credentials', 'git credentials', 'credentials'],
  ['.config/git/credentials', 'git credentials', 'credentials'],
  ['.config/gh', 'GitHub CLI credentials', 'credentials'],
  ['.config/hub', 'GitHub credentials', 'credentials'],
  ['.config/glab-cli', 'GitLab CLI credentials', 'credentials'],
  ['.config/op', '1Password CLI data', 'credentials'],
  ['.npmrc', 'npm tokens', 'credentials'],
  ['.yarnrc.yml', 'Yarn tokens', 'credentials'],
  ['.pypirc', 'PyPI tokens', 'credentials'],
  ['.config/pip', 'pip index credentials', 'credentials'],
  ['.cargo/credentials.toml', 'crates.io tokens', 'credentials'],
  ['.cargo/credentials', 'crates.io tokens', 'credentials'],
  ['.gem/credentials', 'RubyGems tokens', 'credentials'],
  ['.m2/settings.xml', 'Maven credentials', 'credentials'],
  ['.gradle/gradle.properties', 'Gradle credentials', 'credentials'],
  ['.pgpass', 'PostgreSQL passwords', 'credentials'],
  ['.my.cnf', 'MySQL passwords', 'credentials'],
  ['.config/rclone', 'rclone remotes and their credentials', 'credentials'],
  ['.config/containers/auth.json', 'Podman registry credentials', 'credentials'],
  ['.config/configstore', 'tokens that npm-installed tools keep', 'credentials'],
  ['.config/github-copilot', 'GitHub Copilot tokens', 'credentials'],
  ['.env', 'a .env secrets file', 'credentials'],
  ['.claude', "Claude Code's credentials and history", 'credentials'],
  ['.claude.json', "Claude Code's account and server settings", 'host-config'],
  ['.codex', "Codex CLI's credentials and server settings", 'credentials'],
  ['.gemini', "Gemini CLI's credentials and server settings", 'credentials'],
  ['.cursor', "Cursor's server settings", 'host-config'],
  ['.codeium', "Windsurf's server settings", 'host-config'],
  ['.bash_history', 'shell history', 'history'],
  ['.zsh_history', 'shell history', 'history'],
  ['.zhistory', 'shell history', 'history'],
  ['.zsh_sessions', 'shell history', 'history'],
  ['.sh_history', 'shell history', 'history'],
  ['.history', 'shell history', 'history'],
  ['.local/share/fish', 'shell history', 'history'],
  ['.python_history', 'Python history', 'history'],
  ['.node_repl_history', 'Node.js history', 'history'],
  ['.psql_history', 'database history', 'history'],
  ['.mysql_history', 'database history', 'history'],
  ['.sqlite_history', 'database history', 'history'],
  ['.rediscli_history', 'database history', 'history'],
  ['.lesshst', 'pager history', 'history'],
  ['.viminfo', 'editor history', 'history'],
  ['.thunderbird', 'mail and saved passwords', 'browser'],
];

const LINUX: readonly Entry[] = [
  ['.local/share/keyrings', 'the login keyring', 'keys'],
  ['.local/share/kwalletd', 'the KDE wallet', 'keys'],
  ['.pki', 'the NSS certificate and key store', 'keys'],
  ['.mozilla', 'Firefox profiles', 'browser'],
  ['snap/firefox', 'Firefox profiles', 'browser'],
  ['.var/app', 'Flatpak app data (browsers among them)', 'browser'],
  ['.config/google-chrome', 'Chrome profiles', 'browser'],
  ['.config/chromium', 'Chromium profiles', 'browser'],
  ['.config/BraveSoftware', 'Brave profiles', 'browser'],
  ['.config/microsoft-edge', 'Edge profiles', 'browser'],
  ['.config/vivaldi', 'Vivaldi profiles', 'browser'],
  ['.config/opera', 'Opera profiles', 'browser'],
  ['.config/Claude', "Claude Desktop's server settings", 'host-config'],
  ['.config/Code/User', "VS Code's settings and stored sign-ins", 'host-config'],
  ['.config/Cursor/User', "Cursor's settings and stored sign-ins", 'host-config'],
  ['.config/Steward', "Steward's own data", 'steward'],
];

const DARWIN: readonly Entry[] = [
  ['Library/Keychains', 'the keychain', 'keys'],
  ['Library/Cookies', 'browser cookies', 'browser'],
  ['Library/Safari', 'Safari data', 'browser'],
  ['Library/Messages', 'message history', 'history'],
  ['Library/Mail', 'mail', 'history'],
  ['Library/Application Support/Google/Chrome', 'Chrome profiles', 'browser'],
  ['Library/Application Support/Firefox', 'Firefox profiles', 'browser'],
  ['Library/Application Support/BraveSoftware', 'Brave profiles', 'browser'],
  ['Library/Application Support/Microsoft Edge', 'Edge profiles', 'browser'],
  ['Library/Application Support/Arc', 'Arc profiles', 'browser'],
  ['Library/Application Support/Claude', "Claude Desktop's server settings", 'host-config'],
  ['Library/Application Support/Code/User', "VS Code's settings and stored sign-ins", 'host-config'],
  ['Library/Application Support/Cursor/User', "Cursor's settings and stored sign-ins", 'host-config'],
  ['Library/Application Support/Steward', "Steward's own data", 'steward'],
];

const WINDOWS: readonly Entry[] = [
  ['AppData/Roaming/Microsoft/Credentials', 'Windows credentials', 'keys'],
  ['AppData/Local/Microsoft/Credentials', 'Windows credentials', 'keys'],
  ['AppData/Roaming/Microsoft/Protect', 'Windows data-protection keys', 'keys'],
  ['AppData/Roaming/Microsoft/Windows/PowerShell/PSReadLine', 'PowerShell history', 'history'],
  ['AppData/Local/Google/Chrome/User Data', 'Chrome profiles', 'browser'],
  ['AppData/Local/Microsoft/Edge/User Data', 'Edge profiles', 'browser'],
  ['AppData/Local/BraveSoftware', 'Brave profiles', 'browser'],
  ['AppData/Roaming/Mozilla/Firefox', 'Firefox profiles', 'browser'],
  ['AppData/Roaming/Claude', "Claude Desktop's server settings", 'host-config'],
  ['AppData/Roaming/Code/User', "VS Code's settings and stored sign-ins", 'host-config'],
  ['_netrc', 'netrc passwords', 'credentials'],
  ['AppData/Roaming/Steward', "Steward's own data", 'steward'],
];

/** Variables of the host that move where the listed locations are. Values that are not absolute paths are ignored. */
export interface HiddenPathsEnv {
  /** Where ~/.config is (Linux and macOS): each location under ~/.config is hidden there too. */
  XDG_CONFIG_HOME?: string | undefined;
  /** The user's runtime folder (Linux, /run/user/<uid>): Podman keeps its registry sign-ins there. */
  XDG_RUNTIME_DIR?: string | undefined;
}

/** Every hidden location for this OS and home folder, Steward's data folder (wherever it is) last. */
export function hiddenLocations(platform: Platform, homeDir: string, dataDir: string, env: HiddenPathsEnv = {}): HiddenLocation[] {
  const api = pathApi(platform);
  const perOs = platform === 'darwin' ? DARWIN : platform === 'win32' ? WINDOWS : LINUX;
  const absolute = (value: string | undefined) => (value ? normalizeAbsolute(value, homeDir, platform) : undefined);
  const configHome = platform === 'win32' ? undefined : absolute(env.XDG_CONFIG_HOME);
  const out: HiddenLocation[] = [];
  const add = (path: string, what: string, kind: HiddenKind) => {
    if (!out.some((h) => h.path === path)) out.push({ path, what, kind });
  };
  for (const [relative, what, kind] of [...COMMON, ...perOs]) {
    const parts = relative.split('/');
    add(api.join(homeDir, ...parts), what, kind);
    if (configHome !== undefined && parts[0] === '.config') add(api.join(configHome, ...parts.slice(1)), what, kind);
  }
  const runtimeDir = platform === 'linux' ? absolute(env.XDG_RUNTIME_DIR) : undefined;
  if (runtimeDir !== undefined) add(api.join(runtimeDir, 'containers', 'auth.json'), 'Podman registry credentials', 'credentials');
  add(dataDir, "Steward's own data", 'steward');
  return out;
}

/** Is `path` the location itself or inside it? Paths are absolute and normalised. */
export function isAtOrUnder(path: string, location: string, platform: Platform): boolean {
  if (path === location) return true;
  const sep = platform === 'win32' ? '\\' : '/';
  const base = location.endsWith(sep) ? location : `${location}${sep}`;
  return platform === 'win32' ? path.toLowerCase().startsWith(base.toLowerCase()) : path.startsWith(base);
}

/** The hidden location that covers `path`, if any. */
export function hiddenLocationOf(path: string, hidden: readonly HiddenLocation[], platform: Platform): HiddenLocation | undefined {
  return hidden.find((h) => isAtOrUnder(path, h.path, platform));
}

/**
 * What the sandbox runtime itself keeps writable in every sandbox (the standard streams); listed on the consent screen.
 * Its other defaults (a shared /tmp/claude, ~/.npm/_logs, ~/.claude/debug) are closed by `runtimeConvenienceWrites`.
 */
export const RUNTIME_WRITE_PATHS: readonly string[] = ['/dev/stdout', '/dev/stderr', '/dev/null', '/dev/tty'];

/** Folders the runtime would make writable for every sandboxed process; Steward denies writes there. */
export function runtimeConvenienceWrites(platform: Platform, homeDir: string): string[] {
  const api = pathApi(platform);
  return ['/tmp/claude', '/private/tmp/claude', api.join(homeDir, '.npm', '_logs'), api.join(homeDir, '.claude', 'debug')];
}
