// Node implementations of the host's ports, for the CLI, browser mode and tests.
export { FileSecretStore } from './file-secret-store.js';
export { defaultDataDir } from './data-dir.js';
export { systemBrowser } from './system-browser.js';
export { openNodeHost, EXAMPLES_DIR, type NodeHostOptions } from './node-host.js';
