// The steward command as a newcomer uses it, from a folder outside the repo, under the default sandbox: failures that
// print the exact fix command, grants changed from the CLI, exit codes that say whether the server came up, and the last
// error still there for the next command. Registry servers added with npx are in launch-registry.test.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stewardAt } from '../helpers/cli.js';
import { tempDir } from '../helpers/host.js';
import { zipOf } from '../helpers/zip.js';
import { FIXTURES, NODE } from '../helpers/paths.js';

let home: string;
beforeAll(() => {
  home = tempDir('steward-cli-launch-');
});

const steward = (...args: string[]) => stewardAt(home, ...args);

describe('steward, launching', () => {
  it('a refused connection: approve exits 1 with the class, the evidence and the exact fix; the fix asks consent again', async () => {
    expect((await steward('servers', 'add', 'net', '--', NODE, join(FIXTURES, 'start-probe.mjs'), '--connect', 'blocked.example.net:443')).code).toBe(0);
    const approved = await steward('consent', 'approve', 'net', '--yes');
    expect(approved.code).toBe(1);
    expect(approved.stdout).toContain('Failed: Blocked: blocked.example.net — Allow and restart');
    expect(approved.stdout).toContain('seen:   deny network-outbound blocked.example.net:443');
    expect(approved.stdout).toContain('fix:    steward servers grant net --allow-domain blocked.example.net');

    const started = await steward('servers', 'start', 'net');
    expect(started.code).toBe(1);

    // The failure outlives the command that saw it.
    const shown = await steward('servers', 'show', 'net');
    expect(shown.stdout).toContain('error:    Blocked: blocked.example.net — Allow and restart');
    expect(shown.stdout).toContain('fix:      steward servers grant net --allow-domain blocked.example.net');

    const granted = await steward('servers', 'grant', 'net', '--allow-domain', 'blocked.example.net');
    expect(granted.code).toBe(0);
    expect(granted.stdout).toContain('network to blocked.example.net');
    expect(granted.stdout).toContain('steward consent approve "net"');
    const again = await steward('consent', 'show', 'net');
    expect(again.stdout).toContain('The launch changed since you last decided');
    expect(again.stdout).toContain('- Network: added blocked.example.net');
    const revoked = await steward('servers', 'revoke', 'net', '--allow-domain', 'blocked.example.net');
    expect(revoked.stdout).toContain('no network');
  }, 120_000);

  it('a server that dies at once: approve and start exit 1 and print its last lines', async () => {
    expect((await steward('servers', 'add', 'dies', '--', NODE, join(FIXTURES, 'exit-now.mjs'))).code).toBe(0);
    const approved = await steward('consent', 'approve', 'dies', '--yes');
    expect(approved.code).toBe(1);
    expect(approved.stdout).toContain('Exited before it started: it exited with code 2');
    expect(approved.stdout).toContain('| fatal: missing configuration file ~/.exit-now.toml');
    expect((await steward('servers', 'start', 'dies')).code).toBe(1);
  }, 60_000);

  it('consent show flags the variables that decide what code runs, with their values, and never prints a secret value', async () => {
    const added = await steward(
      'servers',
      'add',
      'loaders',
      '--env=NODE_OPTIONS=--max-old-space-size=256',
      '--env=PYTHONPATH=/opt/lib',
      '--env=API_TOKEN=tok-never-printed-111',
      '--',
      NODE,
      join(FIXTURES, 'probe-server.mjs'),
    );
    expect(added.code).toBe(0);
    const shown = await steward('consent', 'show', 'loaders');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^ {2}NODE_OPTIONS=--max-old-space-size=256 {2}— /m);
    expect(shown.stdout).toMatch(/^ {2}PYTHONPATH=\/opt\/lib {2}— /m);
    expect(shown.stdout).not.toMatch(/^ {2}API_TOKEN=/m);
    expect(shown.stdout + shown.stderr + added.stdout + added.stderr).not.toContain('tok-never-printed');
    expect((await steward('servers', 'remove', 'loaders')).code).toBe(0);
  }, 60_000);

  it('grants: a folder inside a hidden location is refused with the reason; relative folders are from here', async () => {
    mkdirSync(join(home, 'work'));
    const refused = await steward('servers', 'grant', 'dies', '--allow-write', join(home, '.ssh', 'keys'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('SSH keys');
    expect(refused.stderr).toContain('[grant_refused]');
    const inside = await steward('servers', 'grant', 'dies', '--allow-read', join(home, '.aws', 'config'));
    expect(inside.code).toBe(1);
    expect(inside.stderr).toContain('stays hidden as a whole');
    const ok = await steward('servers', 'grant', 'dies', '--allow-write', 'work');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`writes ${join(home, 'work')}`);
    expect((await steward('servers', 'grant', 'dies')).code).toBe(2);
  }, 60_000);

  it('installs a bundle: shows it, needs its required setting, runs after consent; then disable and uninstall', async () => {
    const manifest = {
      manifest_version: '0.3',
      name: 'hello-bundle',
      display_name: 'Hello',
      version: '1.0.0',
      description: 'Answers hello.',
      author: { name: 'Ada', email: 'ada@example.com' },
      server: {
        type: 'node',
        entry_point: 'server/index.mjs',
        mcp_config: { command: 'node', args: ['${__dirname}/server/index.mjs'], env: { GREETING: '${user_config.greeting}' } },
      },
      tools: [{ name: 'env', description: 'Shows its environment' }],
      user_config: { greeting: { type: 'string', title: 'Greeting', description: 'What to say', required: true } },
    };
    const file = join(home, 'hello.mcpb');
    writeFileSync(
      file,
      zipOf([
        { name: 'manifest.json', data: JSON.stringify(manifest) },
        { name: 'server/index.mjs', data: `await import(${JSON.stringify(join(FIXTURES, 'probe-server.mjs'))});\n` },
      ]),
    );
    const missing = await steward('install', file, '--yes');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('"Greeting" is required');

    const installed = await steward('install', file, '--config', 'greeting=hi there', '--yes');
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stdout).toContain('Hello 1.0.0  (bundle hello-bundle, manifest 0.3, node server)');
    expect(installed.stdout).toContain('by:        Ada <ada@example.com>');
    expect(installed.stdout).toContain('signature: unsigned — It carries no signature');
    expect(installed.stdout).toContain('tools:     env');
    expect(installed.stdout).toContain('greeting  string, required — Greeting');
    expect(installed.stdout).toContain('Hello  [running]');

    const listed = await steward('bundles');
    expect(listed.stdout).toMatch(/Hello\s+1\.0\.0\s+enabled\s+unsigned/);
    expect((await steward('bundles', 'disable', 'hello-bundle')).code).toBe(0);
    const refused = await steward('servers', 'start', 'Hello');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('disabled');
    expect((await steward('bundles', 'uninstall', 'Hello')).code).toBe(0);
    expect((await steward('bundles')).stdout).toContain('No bundles installed');
  }, 120_000);
});
