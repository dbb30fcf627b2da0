// The one list of hidden locations: every credential and history location the sandbox hides and the consent flags,
// per OS. Each required location is checked both ways: hidden from a sandboxed server, and flagged when a command names it.
// Settings folders moved by XDG_CONFIG_HOME (and Podman's sign-ins under XDG_RUNTIME_DIR) are hidden where they are moved to.
import { describe, expect, it } from 'vitest';
import { findDangers, hiddenLocationOf, hiddenLocations, planLaunch, type Platform } from '../../../main/core/security/index.js';
import { fakeFs } from './fake-fs.js';

const REQUIRED: Record<'linux' | 'darwin', { home: string; data: string; paths: string[] }> = {
  linux: {
    home: '/home/ada',
    data: '/home/ada/.config/Steward',
    paths: [
      '.claude/.credentials.json',
      '.bash_history',
      '.zsh_history',
      '.local/share/fish/fish_history',
      '.python_history',
      '.env',
      '.netrc',
      '.git-credentials',
      '.config/gh/hosts.yml',
      '.local/share/keyrings/login.keyring',
      '.password-store/bank.gpg',
      '.aws/credentials',
      '.azure/accessTokens.json',
      '.config/gcloud/credentials.db',
      '.kube/config',
      '.docker/config.json',
      '.ssh/id_ed25519',
      '.gnupg/private-keys-v1.d/k.key',
      '.mozilla/firefox/x.default/logins.json',
      '.config/google-chrome/Default/Login Data',
      '.config/chromium/Default/Cookies',
      '.config/Claude/claude_desktop_config.json',
      '.npmrc',
      '.pypirc',
      '.pgpass',
      '.my.cnf',
      '.cargo/credentials',
      '.config/rclone/rclone.conf',
      '.config/containers/auth.json',
      '.config/configstore/update-notifier-npm.json',
      '.config/github-copilot/hosts.json',
      '.codex/auth.json',
      '.gemini/oauth_creds.json',
      '.config/Steward/steward.db',
    ],
  },
  darwin: {
    home: '/Users/ada',
    data: '/Users/ada/Library/Application Support/Steward',
    paths: [
      '.claude/.credentials.json',
      '.zsh_history',
      '.zsh_sessions/x.history',
      '.env',
      '.netrc',
      '.git-credentials',
      '.config/gh/hosts.yml',
      'Library/Keychains/login.keychain-db',
      '.password-store/x.gpg',
      '.aws/credentials',
      '.ssh/id_rsa',
      '.gnupg/pubring.kbx',
      '.pgpass',
      '.my.cnf',
      '.cargo/credentials',
      '.config/rclone/rclone.conf',
      '.config/containers/auth.json',
      '.config/configstore/update-notifier-npm.json',
      '.config/github-copilot/hosts.json',
      '.codex/auth.json',
      '.gemini/oauth_creds.json',
      'Library/Application Support/Google/Chrome/Default/Cookies',
      'Library/Application Support/Firefox/Profiles',
      'Library/Safari/History.db',
      'Library/Application Support/Claude/claude_desktop_config.json',
      'Library/Application Support/Steward/steward.db',
    ],
  },
};

describe.each(['linux', 'darwin'] as const)('hidden locations on %s', (platform: Platform & ('linux' | 'darwin')) => {
  const { home, data, paths } = REQUIRED[platform];
  const hidden = hiddenLocations(platform, home, data);

  it.each(paths)('hides ~/%s', (rel) => {
    expect(hiddenLocationOf(`${home}/${rel}`, hidden, platform)).toBeDefined();
  });

  it('hides them in every sandboxed launch', () => {
    const result = planLaunch(
      {
        config: { transport: 'stdio', command: 'node', args: [], env: {} },
        sandbox: { enabled: true, writePaths: [], denyReadPaths: [], readPaths: [], allowedDomains: [] },
        serverId: 's',
      },
      { platform, homeDir: home, dataDir: data, sandbox: { kind: 'available' } },
      { PATH: '/usr/bin', HOME: home },
      fakeFs({ files: ['/usr/bin/node'], dirs: [home] }),
    );
    if (result.kind !== 'plan') throw new Error(result.kind);
    for (const rel of paths)
      expect(
        hiddenLocationOf(
          `${home}/${rel}`,
          result.spec.sandbox.denyReadPaths.map((p) => ({ path: p, what: '', kind: 'credentials' as const })),
          platform,
        ),
      ).toBeDefined();
  });

  it.each(paths.filter((p) => !p.startsWith('Library/Application Support/Steward') && !p.startsWith('.config/Steward')))(
    'flags a command that names ~/%s',
    (rel) => {
      const found = findDangers({
        command: 'node',
        args: ['server.js', `--file=~/${rel}`],
        flaggedEnv: [],
        sandbox: {
          mode: 'enforced',
          writePaths: [],
          readPaths: [],
          ownWritePaths: [],
          ownReadPaths: [],
          runtimeWritePaths: [],
          tempDir: null,
          denyReadPaths: [],
          allowedDomains: [],
        },
        platform,
        homeDir: home,
        hidden,
        runner: null,
        invocation: undefined,
      });
      expect(found.map((f) => f.code)).toContain('secret_path');
    },
  );

  it('does not hide ordinary folders next to them', () => {
    for (const rel of ['.sshfs', 'Documents/notes', '.config/ghostty', '.envrc-project/x', '.local/share/fonts']) {
      expect(hiddenLocationOf(`${home}/${rel}`, hidden, platform)).toBeUndefined();
    }
  });
});

it('keeps Steward’s data folder hidden wherever STEWARD_HOME puts it', () => {
  const hidden = hiddenLocations('linux', '/home/ada', '/srv/steward-data');
  expect(hiddenLocationOf('/srv/steward-data/steward.db', hidden, 'linux')?.kind).toBe('steward');
  expect(hiddenLocationOf('/home/ada/.config/Steward/steward.db', hidden, 'linux')?.kind).toBe('steward');
});

describe('hidden locations the host environment moves', () => {
  const home = '/home/ada';
  const data = `${home}/.config/Steward`;
  const env = { XDG_CONFIG_HOME: '/data/ada/settings/', XDG_RUNTIME_DIR: '/run/user/1000' };
  const hidden = hiddenLocations('linux', home, data, env);

  it.each([
    '/data/ada/settings/gh/hosts.yml',
    '/data/ada/settings/rclone/rclone.conf',
    '/data/ada/settings/gcloud/credentials.db',
    '/data/ada/settings/containers/auth.json',
    '/data/ada/settings/github-copilot/apps.json',
    '/run/user/1000/containers/auth.json',
    // The usual place stays hidden too: a tool may not read the variable.
    `${home}/.config/gh/hosts.yml`,
  ])('hides %s', (path) => {
    expect(hiddenLocationOf(path, hidden, 'linux')).toBeDefined();
  });

  it('hides nothing else under the moved folders', () => {
    expect(hiddenLocationOf('/data/ada/settings/ghostty/config', hidden, 'linux')).toBeUndefined();
    expect(hiddenLocationOf('/run/user/1000/bus', hidden, 'linux')).toBeUndefined();
  });

  it('ignores values that are not absolute paths, and the runtime folder off Linux', () => {
    const relative = hiddenLocations('linux', home, data, { XDG_CONFIG_HOME: 'settings', XDG_RUNTIME_DIR: '' });
    expect(relative).toEqual(hiddenLocations('linux', home, data));
    const mac = hiddenLocations('darwin', '/Users/ada', '/Users/ada/Library/Application Support/Steward', { XDG_RUNTIME_DIR: '/run/user/1000' });
    expect(hiddenLocationOf('/run/user/1000/containers/auth.json', mac, 'darwin')).toBeUndefined();
  });

  it('a sandboxed launch hides them, read from the host environment it is planned with', () => {
    const result = planLaunch(
      {
        config: { transport: 'stdio', command: 'node', args: [], env: {} },
        sandbox: { enabled: true, writePaths: [], denyReadPaths: [], readPaths: [], allowedDomains: [] },
        serverId: 's',
      },
      { platform: 'linux', homeDir: home, dataDir: data, sandbox: { kind: 'available' } },
      { PATH: '/usr/bin', HOME: home, ...env },
      fakeFs({ files: ['/usr/bin/node'], dirs: [home] }),
    );
    if (result.kind !== 'plan') throw new Error(result.kind);
    expect(result.spec.sandbox.denyReadPaths).toEqual(
      expect.arrayContaining(['/data/ada/settings/gh', '/data/ada/settings/rclone', '/run/user/1000/containers/auth.json']),
    );
  });
});
