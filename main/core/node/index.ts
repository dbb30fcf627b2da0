// Node implementations of the host's ports, for the CLI, browser mode and tests, and the one filter for what they print.
export { FileSecretStore, type SecretCipher } from './file-secret-store.js';
export { CONTENT_TYPES } from './content-types.js';
export { defaultDataDir } from './data-dir.js';
export { systemBrowser } from './system-browser.js';
export { openNodeHost, EXAMPLES_DIR, type NodeHostOptions } from './node-host.js';
export { Interrupts, INTERRUPTED_EXIT, type InterruptsDeps } from './interrupts.js';
export { jsonSafe, terminalSafe } from './terminal-text.js';
export { leaveFilesystemRoot, type WorkingFolderDeps } from './working-folder.js';
