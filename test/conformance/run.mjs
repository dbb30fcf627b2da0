// Runs every client scenario of the official MCP conformance suites against the built Steward client: the newest
// (@modelcontextprotocol/conformance, 2026-07-28 and extensions) and 0.1.16 (conformance-2025, 2025-11-25).
// Scenarios run one suite process each, a few at a time; those whose checks measure time run alone afterwards, so a
// busy machine cannot fail them. The suites need Node 22 (fetched once from the npm registry by npx); the client runs
// on this Node, the one better-sqlite3 was built for.
// Usage: node test/conformance/run.mjs [--suite 2026|2025] [--scenario ID]... [--jobs N] [--timeout MS]
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const client = join(root, 'dist', 'main', 'cli', 'conformance.js');
const results = join(root, 'test-results', 'conformance');

const SUITES = [
  { id: '2026', label: '@modelcontextprotocol/conformance', dir: join('@modelcontextprotocol', 'conformance'), expected: 'expected-failures.yml' },
  { id: '2025', label: 'conformance-2025 (0.1.16)', dir: 'conformance-2025', expected: 'expected-failures-2025.yml' },
];
/** Scenarios whose checks time the client (sse-retry wants a reconnect within 200 ms of the server's retry field). */
const TIMED = new Set(['sse-retry']);

const { values } = parseArgs({
  options: {
    suite: { type: 'string', multiple: true },
    scenario: { type: 'string', multiple: true },
    jobs: { type: 'string', default: '2' },
    // A loaded machine starts the client slowly (tens of seconds); the suite's own default of 30 s is too short for it.
    timeout: { type: 'string', default: '180000' },
  },
});
const jobs = Math.max(1, Number(values.jobs) || 2);

if (!existsSync(client)) {
  console.error(`${client} does not exist: run "npm run build" first (or "npm run conformance", which builds).`);
  process.exit(1);
}

// The suite splits --command on spaces and runs it through a shell, so each path is quoted for that shell.
const quote = (s) => (process.platform === 'win32' ? `"${s}"` : `'${s.replaceAll("'", `'\\''`)}'`);
const command = `${quote(process.execPath)} ${quote(client)}`;

/** Node 22, resolved once through npm (under `npm run`, npm's own CLI on this node: no shell, .cmd or PATH needed). */
function node22() {
  const npmCli = process.env.npm_execpath;
  const [cmd, ...prefix] = npmCli && basename(npmCli) === 'npm-cli.js' ? [process.execPath, npmCli] : ['npm'];
  try {
    const out = execFileSync(cmd, [...prefix, 'exec', '--yes', '--', 'node@22', '-p', 'process.execPath'], { cwd: root, encoding: 'utf8' });
    return out.trim().split('\n').pop();
  } catch (error) {
    console.error(`Could not get Node 22 through npm: ${error.message}`);
    process.exit(1);
  }
}

function listScenarios(node, suite) {
  const out = execFileSync(node, [join(root, 'node_modules', suite.dir, 'dist', 'index.js'), 'list', '--client'], { encoding: 'utf8' });
  return [...out.matchAll(/^\s+- (\S+)/gm)].map((m) => m[1]);
}

/** One scenario in a suite process of its own; resolves with what the suite said. */
function runScenario(node, suite, scenario) {
  return new Promise((done) => {
    const out = join(results, suite.id);
    mkdirSync(out, { recursive: true });
    const child = spawn(
      node,
      [
        join(root, 'node_modules', suite.dir, 'dist', 'index.js'),
        'client',
        '--command',
        command,
        '--scenario',
        scenario,
        '--expected-failures',
        join(root, 'test', 'conformance', suite.expected),
        '-o',
        out,
        '--timeout',
        values.timeout,
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.stderr.on('data', (d) => (text += d));
    child.on('error', (error) => done({ scenario, code: 1, passed: false, summary: error.message, text }));
    child.on('exit', (code) => {
      writeFileSync(join(out, `${scenario.replaceAll('/', '_')}.log`), text);
      const counts = /Passed: (\d+)\/(\d+), (\d+) failed, (\d+) warnings/.exec(text);
      const summary = counts?.[0] ?? 'no summary';
      // A scenario passes when every check did: no failure, no warning, and the client finished in time.
      const passed = counts !== null && counts[1] === counts[2] && counts[3] === '0' && counts[4] === '0' && !/TIMED OUT/.test(text);
      done({ scenario, code: code ?? 1, passed, summary, text });
    });
  });
}

async function pool(items, size, work) {
  const out = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++];
        out.push(await work(item));
      }
    }),
  );
  return out;
}

rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });
const node = node22();
let failed = false;
const report = [];
for (const suite of SUITES.filter((s) => !values.suite || values.suite.includes(s.id))) {
  const all = listScenarios(node, suite).filter((s) => !values.scenario || values.scenario.includes(s));
  const run = (scenario) =>
    runScenario(node, suite, scenario).then((r) => {
      console.log(`${r.passed ? '✓' : '✗'} [${suite.id}] ${scenario}: ${r.summary}${r.code === 0 ? '' : '  (not as expected)'}`);
      return r;
    });
  const first = [
    ...(await pool(
      all.filter((s) => !TIMED.has(s)),
      jobs,
      run,
    )),
    ...(await pool(
      all.filter((s) => TIMED.has(s)),
      1,
      run,
    )),
  ];
  // A scenario that did not end as expected while others ran beside it gets one more run on its own: on a loaded
  // machine a client can miss a connect or a deadline. What fails alone too is reported as failing.
  const outcomes = [];
  for (const r of first) {
    if (r.code === 0) outcomes.push(r);
    else {
      console.log(`  rerunning ${r.scenario} alone`);
      outcomes.push(await run(r.scenario));
    }
  }
  const passed = outcomes.filter((r) => r.passed);
  const unexpected = outcomes.filter((r) => r.code !== 0);
  for (const r of unexpected) console.log(`\n--- ${suite.id} ${r.scenario} ---\n${r.text.slice(-4000)}`);
  const line = `${suite.label}: ${passed.length} of ${outcomes.length} client scenarios passed; ${unexpected.length} not as the expected-failures file says.`;
  report.push(line, ...outcomes.filter((r) => !r.passed).map((r) => `  failing: ${r.scenario} (${r.summary})`));
  if (unexpected.length > 0) failed = true;
}
writeFileSync(join(results, 'summary.txt'), `${report.join('\n')}\n`);
console.log(`\n${report.join('\n')}`);
process.exit(failed ? 1 : 0);
