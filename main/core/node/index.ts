// Node implementations of the host's ports, for the CLI, browser mode and tests.
export { FileSecretStore } from './file-secret-store.js';
export { defaultDataDir } from './data-dir.js';
