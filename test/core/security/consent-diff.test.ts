// What the consent screen says changed since the last approval: one sentence per change, values never shown.
import { describe, expect, it } from 'vitest';
import type { LaunchSpec } from '../../../shared/domain/servers.js';
import { describeChanges } from '../../../main/core/security/index.js';

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
      'Arguments: ["a.js"] → ["b.js"]',
      'The value of TOKEN changed',
      'May write to: added /srv/out',
      'Network: added registry.npmjs.org',
    ]);
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
