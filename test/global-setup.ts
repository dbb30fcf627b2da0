// Builds dist/ once before the suites run: tests launch the compiled CLI, examples, fixtures and renderer as real processes.
// The emit skips type checking (--noCheck): checking is `npm run typecheck`'s job, which `npm test` runs first.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, [`${root}/node_modules/typescript/bin/tsc`, '-p', 'tsconfig.build.json', '--noCheck'], { cwd: root, stdio: 'inherit' });
  // STEWARD_TEST_BUILD=core skips the renderer and preload bundles, for runs of core suites only.
  if (process.env.STEWARD_TEST_BUILD === 'core') return;
  const vite = `${root}/node_modules/vite/bin/vite.js`;
  execFileSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, [vite, 'build', '--config', 'vite.preload.config.mts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}
