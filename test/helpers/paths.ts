// Absolute paths tests need: the repo, built output, fixtures and the server-everything entry point.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DIST = join(ROOT, 'dist');
export const FIXTURES = join(ROOT, 'test', 'fixtures');
export const EXAMPLES_DIST = join(DIST, 'examples');
export const EVERYTHING = join(ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
export const CLI = join(DIST, 'main', 'cli', 'index.js');
export const NODE = process.execPath;
