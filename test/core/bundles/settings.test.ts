// A bundle's settings and the launch derived from them: what Steward fills in where @anthropic-ai/mcpb leaves it to the
// host — defaults seeded, ${HOME} and the other folders expanded in defaults and answers, unset optional placeholders
// dropped, node bundles on Steward's own runtime (Electron's Node in the app). Hostile answers tried: relative paths,
// unknown keys, out-of-range numbers, several folders for a single-folder setting, settings named like the properties every
// object inherits (constructor, toString) left unanswered.
import { describe, expect, it } from 'vitest';
import type { BundleConfig } from '../../../shared/domain/bundles.js';
import { parseManifest } from '../../../main/core/bundles/manifest.js';
import { checkValues, deriveLaunch, expandBuiltins, fieldsOf } from '../../../main/core/bundles/settings.js';

const DIRS = { HOME: '/home/ada', DESKTOP: '/home/ada/Desktop', DOCUMENTS: '/home/ada/Documents', DOWNLOADS: '/home/ada/Downloads' };
const ELECTRON = { command: '/opt/Steward/steward', env: { ELECTRON_RUN_AS_NODE: '1' } };

const manifest = (server: Record<string, unknown>, userConfig: Record<string, unknown> = {}) =>
  parseManifest(
    JSON.stringify({
      manifest_version: '0.3',
      name: 'notes',
      version: '1.0.0',
      description: 'Notes.',
      author: { name: 'Ada' },
      server,
      user_config: userConfig,
    }),
  );

const NODE_SERVER = {
  type: 'node',
  entry_point: 'server/index.js',
  mcp_config: {
    command: 'node',
    args: ['${__dirname}/server/index.js', '--root=${user_config.root}', '--verbose=${user_config.verbose}'],
    env: { NOTES_TOKEN: '${user_config.token}', NOTES_HOME: '${HOME}/notes' },
  },
};
const SETTINGS = {
  root: { type: 'directory', title: 'Notes folder', description: 'Where notes are kept', required: true, default: '${DOCUMENTS}/notes' },
  verbose: { type: 'boolean', title: 'Verbose', description: 'More logging', required: false },
  token: { type: 'string', title: 'Token', description: 'For the sync service', sensitive: true, required: false },
  limit: { type: 'number', title: 'Limit', description: 'Notes per page', min: 1, max: 10, default: 5 },
};

describe('expandBuiltins', () => {
  it.each([
    ['${HOME}/notes', '/home/ada/notes'],
    ['${DOCUMENTS}${/}x', '/home/ada/Documents/x'],
    ['${DOWNLOADS}', '/home/ada/Downloads'],
    ['~', '/home/ada'],
    ['~/notes', '/home/ada/notes'],
    ['a~/b', 'a~/b'],
    ['${USER}/x', '${USER}/x'],
    ['${user_config.root}', '${user_config.root}'],
  ])('%s → %s', (given, expected) => {
    expect(expandBuiltins(given, DIRS, '/')).toBe(expected);
  });
});

const settingsManifest = await manifest(NODE_SERVER, SETTINGS);
const noDefaultManifest = await manifest(NODE_SERVER, { ...SETTINGS, root: { ...SETTINGS.root, default: undefined } });

describe('settings', () => {
  const fields = fieldsOf(settingsManifest, DIRS, '/');

  it('shows defaults expanded, and seeds them when no answer is given', () => {
    expect(fields.find((f) => f.key === 'root')).toMatchObject({ type: 'directory', required: true, defaultValue: '/home/ada/Documents/notes' });
    expect(checkValues(fields, {}, DIRS, '/')).toEqual({ root: '/home/ada/Documents/notes', limit: 5 });
    expect(checkValues(fields, { root: '~/elsewhere', limit: '7' }, DIRS, '/')).toEqual({ root: '/home/ada/elsewhere', limit: 7 });
  });

  it.each<{ name: string; given: BundleConfig; says: string }>([
    { name: 'a relative folder', given: { root: 'notes' }, says: 'must be a full path' },
    { name: 'several folders for one', given: { root: ['/a', '/b'] }, says: 'takes one folder' },
    { name: 'a number out of range', given: { limit: 11 }, says: 'at most 10' },
    { name: 'not a number', given: { limit: 'many' }, says: 'must be a number' },
    { name: 'not a boolean', given: { verbose: 'yes' }, says: 'true or false' },
    { name: 'a setting it does not have', given: { rootx: '/a' }, says: 'no setting named "rootx"' },
  ])('refuses $name', ({ given, says }) => {
    expect(() => checkValues(fields, given, DIRS, '/')).toThrow(says);
  });

  it('settings named like inherited properties are unanswered until answered', async () => {
    const inherited = { type: 'string', title: 'Inherited', description: 'Named like a property of every object', required: false };
    const m = await manifest(NODE_SERVER, { constructor: inherited, toString: { ...inherited, type: 'number' } });
    const named = fieldsOf(m, DIRS, '/');
    expect(named.map((f) => f.key).sort()).toEqual(['constructor', 'toString']);
    expect(checkValues(named, {}, DIRS, '/')).toEqual({});
    expect(checkValues(named, { constructor: 'c' }, DIRS, '/')).toEqual({ constructor: 'c' });
    expect(() =>
      checkValues(
        named.map((f) => ({ ...f, required: true })),
        {},
        DIRS,
        '/',
      ),
    ).toThrow('"Inherited" is required.');
  });

  it('a required setting left empty is refused by name', () => {
    const noDefault = fieldsOf(noDefaultManifest, DIRS, '/');
    expect(() => checkValues(noDefault, {}, DIRS, '/')).toThrow('"Notes folder" is required.');
  });
});

describe('deriveLaunch', () => {
  const ctx = { dirs: DIRS, sep: '/', platform: 'linux' as const, runtime: ELECTRON };

  it("runs a node bundle on Steward's own runtime, drops unset optional placeholders, and grants the chosen folders", async () => {
    const m = await manifest(NODE_SERVER, SETTINGS);
    const fields = fieldsOf(m, DIRS, '/');
    const launch = await deriveLaunch(m, '/data/bundles/b1/1.0.0', fields, checkValues(fields, {}, DIRS, '/'), ctx);
    expect(launch).toEqual({
      command: ELECTRON.command,
      args: ['/data/bundles/b1/1.0.0/server/index.js', '--root=/home/ada/Documents/notes'],
      env: { NOTES_HOME: '/home/ada/notes', ELECTRON_RUN_AS_NODE: '1' },
      writePaths: ['/home/ada/Documents/notes'],
    });
  });

  it('passes answered optional settings through', async () => {
    const m = await manifest(NODE_SERVER, SETTINGS);
    const fields = fieldsOf(m, DIRS, '/');
    const launch = await deriveLaunch(m, '/b', fields, checkValues(fields, { verbose: true, token: 'tok' }, DIRS, '/'), ctx);
    expect(launch.args).toContain('--verbose=true');
    expect(launch.env.NOTES_TOKEN).toBe('tok');
  });

  it('keeps the command of a bundle that is not node', async () => {
    const m = await manifest({ type: 'python', entry_point: 'server/main.py', mcp_config: { command: 'python3', args: ['${__dirname}/server/main.py'] } });
    const launch = await deriveLaunch(m, '/b', [], {}, ctx);
    expect(launch).toMatchObject({ command: 'python3', args: ['/b/server/main.py'], env: {} });
  });
});
