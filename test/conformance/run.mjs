// Runs every client scenario of the official MCP conformance suites against the built Steward client: the newest
// (@modelcontextprotocol/conformance, 2026-07-28 and extensions) and 0.1.16 (conformance-2025, 2025-11-25).
// Each suite first runs all its scenarios in one process (the suite runs them side by side: about a minute). A scenario
// whose checks measure time (TIMED) is then judged only by a run on its own, and any scenario that did not end as the
// expected-failures file says gets one more run on its own before it counts: on a loaded machine a client can miss a
// connect or a deadline. The suites need Node 22 (fetched once from the npm registry by npx); the client runs on this
// Node, the one better-sqlite3 was built for.
// Usage: node test/conformance/run.mjs [--suite 2026|2025] [--scenario ID]... [--timeout MS]
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
    // A loaded machine starts the client slowly (tens of seconds); the suite's own default of 30 s is too short for it.
    timeout: { type: 'string', default: '180000' },
  },
});

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

/** The scenarios the expected-failures file lists (`client:` entries, one `- id` a line). */
function expectedOf(suite) {
  const text = readFileSync(join(root, 'test', 'conformance', suite.expected), 'utf8');
  return new Set([...text.matchAll(/^\s+- (\S+)/gm)].map((m) => m[1]));
}

/** One suite process: all scenarios (scenario undefined) or one. Resolves with each scenario's counts and the output. */
function runSuite(node, suite, scenario) {
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
        ...(scenario ? ['--scenario', scenario] : ['--suite', 'all']),
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
    const finish = () => {
      writeFileSync(join(out, `${(scenario ?? 'all').replaceAll('/', '_')}.log`), text);
      const counts = new Map();
      // The suite's summary: "✓ id: 3 passed, 0 failed" (all scenarios) or "Passed: 3/3, 0 failed, 0 warnings" (one).
      for (const m of text.matchAll(/^[✓✗] (\S+): (\d+) passed, (\d+) failed(?:, (\d+) warnings)?/gm)) {
        counts.set(m[1], { passed: Number(m[2]), failed: Number(m[3]), warnings: Number(m[4] ?? 0) });
      }
      const one = /Passed: (\d+)\/(\d+), (\d+) failed, (\d+) warnings/.exec(text);
      if (scenario && one && !/TIMED OUT/.test(text)) counts.set(scenario, { passed: Number(one[1]), failed: Number(one[3]), warnings: Number(one[4]) });
      done({ counts, text });
    };
    child.on('error', (error) => {
      text += `\n${error.message}`;
      finish();
    });
    child.on('exit', finish);
  });
}

const summaryOf = (c) => (c ? `${c.passed} passed, ${c.failed} failed, ${c.warnings} warnings` : 'no result');

rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });
const node = node22();
let failed = false;
const report = [];
for (const suite of SUITES.filter((s) => !values.suite || values.suite.includes(s.id))) {
  const expected = expectedOf(suite);
  const wanted = listScenarios(node, suite).filter((s) => !values.scenario || values.scenario.includes(s));
  const together = values.scenario ? { counts: new Map(), text: '' } : await runSuite(node, suite);
  const outcomes = [];
  for (const scenario of wanted) {
    let counts = TIMED.has(scenario) ? undefined : together.counts.get(scenario);
    let text = together.text;
    const asExpected = (c) => c !== undefined && (c.failed === 0) !== expected.has(scenario);
    if (!asExpected(counts)) {
      if (!values.scenario) console.log(`  ${TIMED.has(scenario) ? 'timed scenario, run' : 'rerunning'} ${scenario} alone`);
      ({ counts, text } = await runSuite(node, suite, scenario).then((r) => ({ counts: r.counts.get(scenario), text: r.text })));
    }
    const passed = counts !== undefined && counts.failed === 0;
    const ok = asExpected(counts);
    console.log(`${passed ? '✓' : '✗'} [${suite.id}] ${scenario}: ${summaryOf(counts)}${ok ? (passed ? '' : '  (expected)') : '  (not as expected)'}`);
    outcomes.push({ scenario, passed, ok, counts, text });
  }
  const passed = outcomes.filter((r) => r.passed);
  const unexpected = outcomes.filter((r) => !r.ok);
  for (const r of unexpected) console.log(`\n--- ${suite.id} ${r.scenario} ---\n${r.text.slice(-4000)}`);
  const line = `${suite.label}: ${passed.length} of ${outcomes.length} client scenarios passed; ${unexpected.length} not as the expected-failures file says.`;
  report.push(line, ...outcomes.filter((r) => !r.passed).map((r) => `  failing: ${r.scenario} (${summaryOf(r.counts)})`));
  if (unexpected.length > 0) failed = true;
}
writeFileSync(join(results, 'summary.txt'), `${report.join('\n')}\n`);
console.log(`\n${report.join('\n')}`);
process.exit(failed ? 1 : 0);
