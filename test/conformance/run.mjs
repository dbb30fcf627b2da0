// Runs every client scenario of the official MCP conformance suite against the built Steward client.
// The suite needs Node 22 (fetched from the npm registry by npx); the client runs on this Node, the one better-sqlite3 was built for.
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const client = join(root, 'dist', 'main', 'cli', 'conformance.js');
const suite = join(root, 'node_modules', 'conformance-2025', 'dist', 'index.js');
const results = join('test-results', 'conformance');

if (!existsSync(client)) {
  console.error(`${client} does not exist: run "npm run build" first (or "npm run conformance", which builds).`);
  process.exit(1);
}

// The suite splits --command on spaces and runs it through a shell, so each path is quoted for that shell.
const quote = (s) => (process.platform === 'win32' ? `"${s}"` : `'${s.replaceAll("'", `'\\''`)}'`);

// Under `npm run`, npm_execpath is npm's own CLI: running it with this node needs no shell (npx is a .cmd on Windows).
const npmCli = process.env.npm_execpath;
const [command, ...prefix] = npmCli && basename(npmCli) === 'npm-cli.js' ? [process.execPath, npmCli] : ['npm'];

rmSync(join(root, results), { recursive: true, force: true });
const child = spawn(
  command,
  [
    ...prefix,
    'exec',
    '--yes',
    '--',
    'node@22',
    suite,
    'client',
    '--command',
    `${quote(process.execPath)} ${quote(client)}`,
    '--suite',
    'all',
    '--expected-failures',
    join('test', 'conformance', 'expected-failures.yml'),
    '-o',
    results,
    '--timeout',
    '60000',
  ],
  { cwd: root, stdio: 'inherit' },
);
child.on('error', (error) => {
  console.error(`Could not start the conformance suite through npm: ${error.message}`);
  process.exit(1);
});
child.on('exit', (code) => process.exit(code ?? 1));
