// Owners across processes: which Steward process holds each live thing (pid, start token, lease), the change feed that
// tells a running host what others wrote, the control channel that carries a request to the owner, and the shared inbox.
export { isAlive, isSameProcess, linuxToken, pageSize, pageSizeFromAuxv, psToken, readProcStat, startTokenOf, type ProcStat } from './os-process.js';
export { Ownership, type OwnerLike, type OwnerState, type OwnershipDeps, type OwnersPort } from './ownership.js';
export { ChangeFeed, TOPICS, type ChangeSource, type Topic } from './change-feed.js';
export { controlAddress, removeStaleFor } from './control-address.js';
export { startControlServer, type ControlHandlers, type ControlServer } from './control-server.js';
export { controlRequest, type ControlPeer } from './control-client.js';
export { CONTROL_OPS, MAX_REQUEST_BYTES, type ControlArgs, type ControlOp } from './control-protocol.js';
export { SharedInbox, type SharedInboxDeps } from './shared-inbox.js';
export type { OwnerKey, OwnerRecord } from '../store/index.js';
