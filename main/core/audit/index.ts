// The audit record: launches, consents, tool calls and every later decision, append-only.
export { Audit, type AuditEntry } from './audit.js';
