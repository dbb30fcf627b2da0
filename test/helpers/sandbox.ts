// A sandboxed run that grants nothing and exits at once: for tests of the sandbox runner itself.
import type { SandboxRequest } from '../../main/core/security/index.js';
import { FIXTURES, NODE } from './paths.js';

export const EXIT_NOW_REQUEST: SandboxRequest = {
  argv: [NODE, `${FIXTURES}/exit-now.mjs`],
  env: {},
  cwd: FIXTURES,
  tempDir: null,
  denyRead: [],
  allowRead: [],
  allowWrite: [],
  denyWrite: [],
  allowedDomains: [],
};
