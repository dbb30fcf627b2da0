// Grants that mean what they say: a write grant never opens a hidden location; a read grant shows only one whole hidden
// location and never Steward's own data. Hostile grants tried: "..", a trailing slash, the data folder by another spelling.
import { describe, expect, it } from 'vitest';
import type { SandboxSettings } from '../../../shared/domain/servers.js';
import { checkGrants, hiddenLocations } from '../../../main/core/security/index.js';

const HOME = '/home/ada';
const DATA = `${HOME}/.config/Steward`;
const hidden = hiddenLocations('linux', HOME, DATA);
const settings = (s: Partial<SandboxSettings>): SandboxSettings => ({
  enabled: true,
  writePaths: [],
  denyReadPaths: [],
  readPaths: [],
  allowedDomains: [],
  ...s,
});

describe('checkGrants', () => {
  it.each([
    { name: 'write inside ~/.ssh', s: { writePaths: ['~/.ssh/keys'] }, mentions: 'SSH keys' },
    { name: 'write of ~/.aws itself', s: { writePaths: ['~/.aws'] }, mentions: 'AWS credentials' },
    { name: 'write inside the data folder by a dotted path', s: { writePaths: [`${HOME}/work/../.config/Steward/servers/x`] }, mentions: DATA },
    { name: 'read of a folder inside ~/.config/gh', s: { readPaths: ['~/.config/gh/hosts.yml'] }, mentions: 'stays hidden as a whole' },
    { name: "read of Steward's data", s: { readPaths: [DATA] }, mentions: 'never shown' },
    { name: 'read of an ordinary folder', s: { readPaths: ['~/notes'] }, mentions: 'already read' },
    { name: 'write inside a folder the user hid', s: { writePaths: ['/srv/secret/x'], denyReadPaths: ['/srv/secret'] }, mentions: 'you hid' },
  ])('refuses $name', ({ s, mentions }) => {
    const result = checkGrants(settings(s), hidden, HOME, 'linux');
    expect(result.kind).toBe('refusal');
    if (result.kind === 'refusal') {
      expect(result.code === 'grant_refused' || result.code === 'config_invalid').toBe(true);
      expect(result.message).toContain(mentions);
    }
  });

  it('accepts a write grant that contains hidden locations (they stay hidden) and a read grant of one whole location', () => {
    const result = checkGrants(settings({ writePaths: ['~', '~/notes/'], readPaths: ['~/.aws/'] }), hidden, HOME, 'linux');
    expect(result).toMatchObject({ kind: 'ok', writePaths: [HOME, `${HOME}/notes`], readPaths: [`${HOME}/.aws`] });
  });
});
