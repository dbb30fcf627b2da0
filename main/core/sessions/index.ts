// MCP sessions: the only place that talks the protocol to servers and knows which era a server speaks.
export {
  McpSession,
  type SessionHooks,
  type SessionOptions,
  type CallOptions,
  type ClientIdentity,
  type ServerInfo,
  type HostCapabilities,
  type ServerRequestInfo,
  type ServerNotificationMethod,
  type HttpAuth,
} from './session.js';
export { toStewardError, unanswered, MESSAGE_TOO_LARGE_CODE, OVERSIZED_REQUEST } from './errors.js';
export { ToolCalls, paced, type ToolCallDeps, type CallRequest } from './tool-calls.js';
export * as features from './features.js';
export type { Page } from './features.js';
export { WireLog, WIRE_LIMITS } from './wire-log.js';
