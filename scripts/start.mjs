// npm start: the desktop app when an Electron binary is present, otherwise browser mode, said in one line.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** The Electron executable, without triggering the package's download-on-require. */
function electronBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return join(process.env.ELECTRON_OVERRIDE_DIST_PATH, process.platform === 'win32' ? 'electron.exe' : 'electron');
  let pkgDir;
  try {
    pkgDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { missing: 'the electron package is not installed' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return { missing: 'its binary was never downloaded (it comes from GitHub, which this machine cannot reach)' };
  const binary = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : { missing: `its binary is missing at ${binary}` };
}

function browserMode(reason) {
  process.stdout.write(`Electron is not available (${reason}); starting Steward in browser mode instead.\n`);
  const child = spawn(process.execPath, [join(root, 'dist', 'main', 'web', 'serve.js'), ...process.argv.slice(2)], { stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code) => process.exit(code ?? 0));
}

const binary = electronBinary();
if (typeof binary !== 'string') {
  browserMode(binary.missing);
} else {
  const started = Date.now();
  const child = spawn(binary, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('error', (error) => browserMode(`it failed to start: ${error.message}`));
  child.on('exit', (code, signal) => {
    // A quick non-zero exit means Electron could not run here (no display, missing libraries).
    if (code !== 0 && signal === null && Date.now() - started < 5000) browserMode(`it exited at once with code ${code}`);
    else process.exit(code ?? 0);
  });
}
