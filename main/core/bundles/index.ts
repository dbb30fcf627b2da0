// MCPB bundles: checked, unpacked, shown, installed as servers that go through consent like any other.
export { BundlesService, type BundlesDeps } from './service.js';
export { DEFAULT_ZIP_CAPS, type ZipCaps } from './zip-check.js';
export type { BundleRuntime } from './settings.js';
