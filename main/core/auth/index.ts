// Authorization for remote servers: OAuth on the SDK's auth(), client credentials, enterprise cross-app access.
export { AuthService, type AuthDeps } from './service.js';
export { AuthRecords } from './records.js';
export { CLIENT_METADATA, DEFAULT_CLIENT_METADATA_URL } from './metadata.js';
export { REDIRECT_PATH, REDIRECT_PORTS, redirectUri } from './loopback.js';
export { guardedFetch, judgeAuthUrl } from './guard.js';
