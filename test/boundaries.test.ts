// Fails when a layer imports what it must not (see docs/architecture.md), or SQL leaks out of the store.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBoundaries, importsOf, type SourceFile } from './helpers/boundaries.js';
import { ROOT } from './helpers/paths.js';

function sources(dir: string): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      if (name === 'node_modules' || name === 'dist') continue;
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ts|tsx|mts|cts|mjs|js)$/.test(name)) out.push({ path: relative(ROOT, full).replaceAll('\\', '/'), text: readFileSync(full, 'utf8') });
    }
  };
  walk(dir);
  return out;
}

describe('layer boundaries', () => {
  it('hold across the source tree', () => {
    const files = ['shared', 'main', 'renderer', 'examples']
      .filter((d) => {
        try {
          return statSync(join(ROOT, d)).isDirectory();
        } catch {
          return false;
        }
      })
      .flatMap((d) => sources(join(ROOT, d)));
    expect(files.length).toBeGreaterThan(20);
    expect(checkBoundaries(files)).toEqual([]);
  });

  it('catch each kind of forbidden import', () => {
    const bad: SourceFile[] = [
      { path: 'shared/x.ts', text: "import { readFileSync } from 'node:fs';" },
      { path: 'shared/y.ts', text: "import { z } from 'zod';\nimport { h } from '../main/core/host.js';" },
      { path: 'main/core/a.ts', text: "import { app } from 'electron';" },
      { path: 'main/core/b.ts', text: "export { x } from '../cli/index.js';" },
      { path: 'main/core/servers/c.ts', text: "import { McpSession } from '../sessions/session.js';" },
      { path: 'main/core/servers/d.ts', text: "const m = await import('../web/server.js');" },
      { path: 'renderer/App.tsx', text: "import { createHost } from '../main/core/host.js';" },
      { path: 'renderer/b.ts', text: "import fs from 'fs';" },
      { path: 'main/preload/preload.ts', text: "import { Host } from '../core/host.js';" },
      { path: 'examples/s/server.ts', text: "import { planLaunch } from '../../main/core/security/index.js';" },
      { path: 'main/cli/sql.ts', text: "db.prepare('SELECT * FROM servers')" },
    ];
    const found = checkBoundaries(bad).map((v) => v.file);
    expect(new Set(found)).toEqual(new Set(bad.map((f) => f.path)));
    expect(
      checkBoundaries([{ path: 'main/core/servers/ok.ts', text: "import { McpSession } from '../sessions/index.js';\nimport { z } from 'zod';" }]),
    ).toEqual([]);
  });

  it('read every import form', () => {
    expect(
      importsOf(
        "import a from 'a';\nimport { b } from \"b\";\nexport * from './c.js';\nimport './d.css';\nawait import('e');\nrequire('f');\nimport type { G } from 'g';",
      ),
    ).toEqual(['a', 'b', './c.js', './d.css', 'e', 'f', 'g']);
  });
});
