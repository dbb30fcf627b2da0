// What the consent screen says changed since the last approval: one sentence per change, values never shown.
import { describe, expect, it } from 'vitest';
import type { LaunchSpec } from '../../../shared/domain/servers.js';
import { describeChanges, diffLaunch } from '../../../main/core/security/index.js';

const spec = (over: Partial<LaunchSpec> = {}, sandbox: Partial<LaunchSpec['sandbox']> = {}): LaunchSpec => ({
  command: '/usr/bin/node',
  realCommand: '/usr/bin/node',
  args: ['a.js'],
  cwd: '/srv',
  envNames: ['TOKEN'],
  envDigests: { TOKEN: 'd1' },
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
    ...sandbox,
  },
  runner: null,
  hash: 'h1',
  ...over,
});

describe('describeChanges', () => {
  it('says nothing without an earlier approval', () => {
    expect(describeChanges(undefined, spec())).toEqual([]);
  });
  it('names each change, and a changed secret only by name', () => {
    const next = spec({ args: ['b.js'], envDigests: { TOKEN: 'd2' }, hash: 'h2' }, { allowedDomains: ['registry.npmjs.org'], writePaths: ['/srv/out'] });
    expect(describeChanges(spec(), next)).toEqual([
      'Arguments: a.js → b.js',
      'May write to: added /srv/out',
      'Network: added registry.npmjs.org',
      'The value of TOKEN changed',
    ]);
  });
  it('gives each field old → new, and every variable as changed or unchanged without its value', () => {
    const before = spec({ envNames: ['KEEP', 'TOKEN', 'GONE'], envDigests: { KEEP: 'k', TOKEN: 'd1', GONE: 'g' } });
    const next = spec({
      command: '/usr/bin/python3',
      realCommand: '/usr/bin/python3.12',
      args: ['server.py', 'two words'],
      cwd: '/work',
      envNames: ['KEEP', 'NEW', 'TOKEN'],
      envDigests: { KEEP: 'k', NEW: 'n', TOKEN: 'd2' },
      hash: 'h2',
    });
    expect(diffLaunch(before, next)).toEqual([
      { field: 'Program', change: 'changed', before: '/usr/bin/node', after: '/usr/bin/python3' },
      { field: 'Arguments', change: 'changed', before: 'a.js', after: "server.py 'two words'" },
      { field: 'Working folder', change: 'changed', before: '/srv', after: '/work' },
      { field: 'Variable GONE', change: 'removed', before: null, after: null },
      { field: 'Variable KEEP', change: 'unchanged', before: null, after: null },
      { field: 'Variable NEW', change: 'added', before: null, after: null },
      { field: 'Variable TOKEN', change: 'changed', before: null, after: null },
    ]);
    // Digests and values never reach the diff.
    expect(JSON.stringify(diffLaunch(before, next))).not.toMatch(/"d1"|"d2"|"k"|"n"/);
  });
  it('is empty for the same launch', () => {
    expect(diffLaunch(spec(), spec())).toEqual([]);
  });
  it('reads a record an older Steward wrote, with fewer fields', () => {
    const old = {
      command: '/usr/bin/node',
      args: ['a.js'],
      cwd: '/srv',
      envNames: [],
      sandbox: { mode: 'enforced' as const, writePaths: [], denyReadPaths: [], allowedDomains: [] },
      hash: 'h0',
    };
    expect(describeChanges(old, spec())).toEqual(['Environment variables: added TOKEN']);
  });
});
