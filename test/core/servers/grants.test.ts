// Grants are judged when they are saved by the same hidden locations the launch plan uses, the host's XDG_CONFIG_HOME
// included: tried, a write and a read grant into the copy of ~/.config/gh that XDG_CONFIG_HOME names.
import { describe, expect, it } from 'vitest';
import { applyGrants } from '../../../main/core/servers/grants.js';
import { SandboxSettingsSchema } from '../../../shared/domain/servers.js';

const ctx = { platform: 'linux' as const, homeDir: '/home/ada', dataDir: '/home/ada/.local/share/steward', hostEnv: { XDG_CONFIG_HOME: '/srv/ada-config' } };
const none = SandboxSettingsSchema.parse({});

describe('grants and the folder XDG_CONFIG_HOME names', () => {
  it('refuses a grant into a hidden location there when it is saved, as under ~/.config', () => {
    // Tried before the fix: saved, and refused only when the server next started.
    for (const change of [{ allowWrite: ['/srv/ada-config/gh'] }, { allowRead: ['/srv/ada-config/gh/hosts.yml'] }]) {
      expect(() => applyGrants(none, change, 'grant', ctx)).toThrow(expect.objectContaining({ code: 'grant_refused' }));
      expect(() => applyGrants(none, { allowWrite: ['/home/ada/.config/gh'] }, 'grant', ctx)).toThrow(expect.objectContaining({ code: 'grant_refused' }));
    }
    expect(applyGrants(none, { allowWrite: ['/srv/ada-config/my-app'] }, 'grant', ctx).writePaths).toEqual(['/srv/ada-config/my-app']);
  });
});
