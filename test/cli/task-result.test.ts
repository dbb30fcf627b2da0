// `steward tasks result` writes a result of any size page by page, and the pages join up exactly. Hostile input tried:
// a result of 600,000 emoji, each one character to the database but two UTF-16 units to JavaScript, spanning three
// pages: an offset counted in UTF-16 units skipped whole pages of it.
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { steward } from '../helpers/cli.js';
import { tempDir } from '../helpers/host.js';
import { CLI, NODE } from '../helpers/paths.js';

const EMOJI = 600_000;

/** A raw JSON-RPC stdio server whose one tool runs as a task and ends with a text of EMOJI emoji between two markers. */
const SERVER = `
import { createInterface } from 'node:readline';
const out = (msg) => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', ...msg }) + '\\n');
const now = () => new Date().toISOString();
const task = (taskId) => ({ taskId, status: 'completed', createdAt: now(), lastUpdatedAt: now(), ttl: 60000, pollInterval: 100 });
const METHODS = {
  initialize: (p) => ({
    protocolVersion: p.protocolVersion,
    capabilities: { tools: {}, tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } } },
    serverInfo: { name: 'emoji', version: '1.0.0' },
  }),
  ping: () => ({}),
  'tools/list': () => ({ tools: [{ name: 'smile', inputSchema: { type: 'object' }, execution: { taskSupport: 'required' } }] }),
  'tools/call': () => ({ task: task('t1') }),
  'tasks/get': (p) => task(p.taskId),
  'tasks/result': (p) => ({
    content: [{ type: 'text', text: 'BEGIN' + '\\u{1F600}'.repeat(${EMOJI}) + 'END' }],
    _meta: { 'io.modelcontextprotocol/related-task': { taskId: p.taskId } },
  }),
  'tasks/list': () => ({ tasks: [task('t1')] }),
};
createInterface({ input: process.stdin }).on('line', (line) => {
  const msg = JSON.parse(line);
  if (msg.id === undefined || !msg.method) return;
  const handler = METHODS[msg.method];
  out(handler ? { id: msg.id, result: handler(msg.params ?? {}) } : { id: msg.id, error: { code: -32601, message: 'Method not found' } });
});
`;

/** A command whose output runs to megabytes: read as it comes (past execFile's buffer), to the end of its stdout. */
function big(home: string, args: string[]): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(NODE, [CLI, ...args], { env: { ...process.env, STEWARD_HOME: home }, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => void (stdout += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout })));
}

let dir: string;
beforeAll(() => {
  dir = tempDir('steward-cli-task-result-');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('steward tasks result', () => {
  it('writes a result of astral characters whole across several pages', { timeout: 120_000 }, async () => {
    const home = join(dir, 'data');
    const script = join(dir, 'emoji-server.mjs');
    writeFileSync(script, SERVER);
    expect((await steward(home, ['servers', 'add', 'emoji', '--no-sandbox', '--', NODE, script])).code).toBe(0);
    expect((await steward(home, ['consent', 'approve', 'emoji', '--yes'])).code).toBe(0);
    expect((await big(home, ['call', 'emoji', 'smile', '--task'])).code).toBe(0);
    const [task] = (JSON.parse((await steward(home, ['tasks', 'list', '--json'])).stdout) as { data: Array<{ id: string }> }).data;

    const result = await big(home, ['tasks', 'result', task!.id]);
    expect(result.code).toBe(0);
    const text = (JSON.parse(result.stdout) as { content: Array<{ text: string }> }).content[0]!.text;
    expect(text.startsWith('BEGIN')).toBe(true);
    expect(text.endsWith('END')).toBe(true);
    expect(text).toBe(`BEGIN${'\u{1F600}'.repeat(EMOJI)}END`);
  });
});
