// Security decisions: launch planning, consent hashes, dangerous-pattern findings, the OS sandbox.
export { planLaunch, type LaunchPlan, type LaunchPolicy, type Refusal, type SandboxSupport, type LaunchInput } from './plan-launch.js';
export { nodeFsView, type FsView } from './fs-view.js';
export { createOsSandbox, type SandboxRunner, type WrappedCommand } from './sandbox-runner.js';
export { findDangers } from './findings.js';
export { quoteCommandLine, quoteWord } from './shell-quote.js';
export { isReservedEnvName } from './child-env.js';
export type { Platform } from './platform-paths.js';
export { addressKind, gatedOpener, isLoopbackHost, judgeUrl, type AddressKind, type UrlUse, type UrlVerdict } from './url-gate.js';
