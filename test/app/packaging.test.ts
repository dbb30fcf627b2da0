// Packaging cannot run here (Electron comes from GitHub), so its inputs are checked: the builder config and the preload bundle.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { DIST, ROOT } from '../helpers/paths.js';

const require = createRequire(import.meta.url);
// electron-builder's own validator and schema (internal path; electron-builder's version is pinned).
const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  validateConfiguration: (config: unknown, log: unknown) => Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

const config = () => load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

describe('electron-builder.yml', () => {
  it('is valid against electron-builder’s configuration schema', async () => {
    await expect(validateConfiguration(config(), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('would be rejected if it were wrong (the validator really runs)', async () => {
    await expect(validateConfiguration({ ...config(), bogusTop: true }, new DebugLogger(false))).rejects.toThrow(/bogusTop/);
  });

  it('targets every platform, unpacks the native module and ships the examples', () => {
    const c = config() as {
      linux: { target: string[] };
      mac: { target: string[] };
      win: { target: string[] };
      asarUnpack: string[];
      files: string[];
      appId: string;
      npmRebuild: boolean;
    };
    expect(c.appId).toBe('dev.steward.desktop');
    expect(c.linux.target).toEqual(['AppImage', 'deb']);
    expect(c.mac.target).toEqual(['dmg']);
    expect(c.win.target).toEqual(['nsis']);
    expect(c.asarUnpack).toEqual(expect.arrayContaining(['node_modules/better-sqlite3/**', 'dist/examples/**']));
    expect(c.files).toEqual(expect.arrayContaining(['dist/examples/**', 'dist/preload/**', 'dist/renderer/**']));
    expect(c.npmRebuild).toBe(true);
  });
});

describe('preload bundle', () => {
  it('is one CommonJS file that requires nothing but electron (sandboxed preloads cannot load local modules)', () => {
    const code = readFileSync(join(DIST, 'preload', 'preload.cjs'), 'utf8');
    const required = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect([...new Set(required)]).toEqual(['electron']);
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect(code).toContain('exposeInMainWorld');
  });
});
