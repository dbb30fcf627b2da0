// Security decisions: launch planning, runner presets, consent hashes, findings, failure reading, the OS sandbox.
export {
  planLaunch,
  serverDirOf,
  type LaunchPlan,
  type LaunchPolicy,
  type Refusal,
  type PinsNeeded,
  type SandboxSupport,
  type LaunchInput,
} from './plan-launch.js';
export type { PinRequest } from './runner-common.js';
export { NPM_REGISTRY } from './runner-common.js';
export { PYPI_INDEX } from './runner-python.js';
export { nodeFsView, type FsView } from './fs-view.js';
export { createOsSandbox, passEnvironment, type SandboxRunner, type SandboxRequest, type WrappedCommand } from './sandbox-runner.js';
export { serverSandboxRequest, downloadSandboxRequest, writablePaths } from './sandbox-request.js';
export { findDangers } from './findings.js';
export { quoteCommandLine, quoteWord } from './shell-quote.js';
export { buildChildEnv, isReservedEnvName } from './child-env.js';
export { checkGrants } from './grants.js';
export { hiddenLocations, hiddenLocationOf, isAtOrUnder, RUNTIME_WRITE_PATHS, type HiddenLocation, type HiddenPathsEnv } from './hidden-paths.js';
export { classifyFailure, planFailure, startErrorCode, type FailureInput, type FailureOutcome } from './failure.js';
export { describeChanges, diffLaunch } from './consent-diff.js';
export { missingRuntimeHint } from './runtime-hints.js';
export { findCommand } from './resolve-command.js';
export { refusedMount } from './runner-container.js';
export type { Platform } from './platform-paths.js';
export { addressKind, asSent, gatedOpener, isLoopbackHost, judgeUrl, type AddressKind, type UrlUse, type UrlVerdict } from './url-gate.js';
