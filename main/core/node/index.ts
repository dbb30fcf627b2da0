// Node implementations of the host's ports, for the CLI, browser mode and tests.
export { FileSecretStore, type SecretCipher } from './file-secret-store.js';
export { CONTENT_TYPES } from './content-types.js';
export { defaultDataDir } from './data-dir.js';
export { systemBrowser } from './system-browser.js';
export { openNodeHost, EXAMPLES_DIR, type NodeHostOptions } from './node-host.js';
export { Interrupts, INTERRUPTED_EXIT, type InterruptsDeps } from './interrupts.js';
