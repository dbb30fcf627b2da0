// The one list of hidden locations: every credential and history location the sandbox hides and the consent flags,
// per OS. Each required location is checked both ways: hidden from a sandboxed server, and flagged when a command names it.
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
