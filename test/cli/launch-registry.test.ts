// The steward command as a newcomer uses it, from a folder outside the repo, under the default sandbox: real registry
// servers added with npx, shown with their download step, pinned, and run offline after approval. Each test has a home of
// its own and waits on the registry far more than on this machine, so the two run side by side.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { stewardAt } from '../helpers/cli.js';
import { tempDir } from '../helpers/host.js';
import { ROOT } from '../helpers/paths.js';

/** A command of the README's quick start, as a shell in `home` would split it (`~` and `$HOME` expanded). */
function readmeCommand(home: string, prefix: string): string[] {
  const line = readFileSync(join(ROOT, 'README.md'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith(prefix));
  if (!line) throw new Error(`The README no longer has "${prefix}"`);
  const words = line
    .replace(/\s+#.*$/, '')
    .split(/\s+/)
    .slice(1);
  return words.map((w) => w.replace(/^~(?=\/|$)/, home).replaceAll('$HOME', home));
}

describe.concurrent('steward, launching registry servers', () => {
  it("the README's quick start works from a folder outside the repo: grants shown, the package pinned, a tool called", async ({ expect }) => {
    const home = tempDir('steward-cli-launch-');
    const steward = (...args: string[]) => stewardAt(home, ...args);
    mkdirSync(join(home, 'notes'));
    writeFileSync(join(home, 'notes', 'todo.txt'), 'buy milk');
    const added = await steward(...readmeCommand(home, 'steward servers add notes '));
    expect(added.code, added.stderr).toBe(0);
    const shown = await steward(...readmeCommand(home, 'steward consent show notes'));
    expect(shown.stdout).toContain('Runner: npx (downloaded once, then run offline)');
    expect(shown.stdout).toMatch(/package: @modelcontextprotocol\/server-filesystem \d+\.\d+\.\d+ — pinned at first install/);
    expect(shown.stdout).toContain('Step 1 — download, once (sandboxed: network only to registry.npmjs.org');
    expect(shown.stdout).toContain(`${join(home, 'notes')}  (your grant)`);
    expect(shown.stdout).toContain('Network:       none');
    const approved = await steward('consent', 'approve', 'notes', '--yes');
    expect(approved.code, approved.stderr + approved.stdout).toBe(0);
    const listed = await steward('call', 'notes', 'list_directory', '--args', JSON.stringify({ path: join(home, 'notes') }));
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain('[FILE] todo.txt');
    const outside = await steward('call', 'notes', 'write_file', '--args', JSON.stringify({ path: join(home, 'elsewhere.txt'), content: 'x' }));
    expect(outside.code, outside.stderr + outside.stdout).toBe(5);
    expect(existsSync(join(home, 'elsewhere.txt'))).toBe(false);
  }, 300_000);

  it('adds a registry server with npx, shows its download step, and runs it after approval', async ({ expect }) => {
    const home = tempDir('steward-cli-launch-');
    const steward = (...args: string[]) => stewardAt(home, ...args);
    const data = join(home, 'memory');
    const added = await steward(
      'servers',
      'add',
      'memory',
      '--env',
      `MEMORY_FILE_PATH=${join(data, 'memory.jsonl')}`,
      '--allow-write',
      data,
      '--',
      'npx',
      '-y',
      '@modelcontextprotocol/server-memory@2026.8.31',
    );
    expect(added.code).toBe(0);

    const shown = await steward('consent', 'show', 'memory');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('Step 1 — download, once (sandboxed: network only to registry.npmjs.org');
    expect(shown.stdout).toContain('@modelcontextprotocol/server-memory@2026.8.31');
    expect(shown.stdout).toMatch(/Step 2 — run[^\n]*\n {2}\S*node \S+server-memory\/dist\/index\.js/);
    expect(shown.stdout).toContain(`${data}  (your grant)`);
    expect(shown.stdout).toContain('(the sandbox itself)');
    expect(shown.stdout).toContain('Network:       none');

    const approved = await steward('consent', 'approve', 'memory', '--yes');
    expect(approved.code, approved.stderr + approved.stdout).toBe(0);
    const created = await steward(
      'call',
      'memory',
      'create_entities',
      '--args',
      '{"entities":[{"name":"Ada","entityType":"person","observations":["first program"]}]}',
    );
    expect(created.code).toBe(0);
    expect(readFileSync(join(data, 'memory.jsonl'), 'utf8')).toContain('Ada');
    const read = await steward('call', 'memory', 'read_graph');
    expect(read.stdout).toContain('first program');

    const upgrade = await steward('servers', 'upgrade', 'memory');
    expect(upgrade.code).toBe(0);
    expect(upgrade.stdout).toContain('already runs the newest versions its command allows: @modelcontextprotocol/server-memory 2026.8.31');
  }, 300_000);
});
