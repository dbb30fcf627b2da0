// The sandbox's wrapper (bash, then bubblewrap) runs outside the sandbox, so nothing a server chooses may steer it. Hostile
// input tried, each leaving a marker file when it runs outside the sandbox: a `bwrap` in the server's own folder (first on
// the server's PATH), BASH_ENV naming a script, LD_PRELOAD naming a library. Also a config HTTPS_PROXY (it must not take
// the server past the sandbox's proxy), and a large environment with a secret and bash's own RANDOM, SECONDS and `_` in
// it (it must reach the server whole, and show no secret on any command line, which every user of the machine can read).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createOsSandbox } from '../../../main/core/security/index.js';
import { quoteWord } from '../../../main/core/security/shell-quote.js';
import { makeHost, tempDir, type TestHost } from '../../helpers/host.js';
import { FIXTURES, NODE } from '../../helpers/paths.js';
import { textOf } from '../../helpers/results.js';

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const onPath = (name: string) =>
  (process.env.PATH ?? '')
    .split(delimiter)
    .map((dir) => join(dir, name))
    .find((p) => existsSync(p));
const REAL_BWRAP = onPath('bwrap');
const CC = onPath('cc');

/** A library that leaves a marker wherever it is loaded and may write it; undefined without a C compiler. */
function markingLibrary(dir: string, marker: string): string | undefined {
  if (!CC) return undefined;
  const source = join(dir, 'mark.c');
  writeFileSync(
    source,
    `#include <fcntl.h>
#include <unistd.h>
__attribute__((constructor)) static void mark(void) { int fd = open(${JSON.stringify(marker)}, O_CREAT | O_WRONLY, 0644); if (fd >= 0) close(fd); }
`,
  );
  const library = join(dir, 'mark.so');
  execFileSync(CC, ['-shared', '-fPIC', '-o', library, source]);
  return library;
}

type Vector = 'a bwrap beside the server' | 'BASH_ENV in its config' | 'LD_PRELOAD in its config';
const VECTORS: Vector[] = ['a bwrap beside the server', 'BASH_ENV in its config', ...(CC ? (['LD_PRELOAD in its config'] as const) : [])];

describe.runIf(process.platform === 'linux' && REAL_BWRAP !== undefined)('what a server chooses does not reach the sandbox wrapper', () => {
  it.each(VECTORS)('%s runs nothing outside the sandbox; the server runs sandboxed, with its config environment', async (vector) => {
    const home = tempDir('steward-home-');
    mkdirSync(join(home, '.ssh'));
    writeFileSync(join(home, '.ssh', 'id_rsa'), 'PRIVATE KEY');
    // A marker lands here only from outside the sandbox: inside, this folder is not writable.
    const marks = tempDir('steward-marks-');
    const project = tempDir('steward-project-');
    writeFileSync(join(project, 'server'), `#!/bin/sh\nexec ${quoteWord(NODE)} ${quoteWord(join(FIXTURES, 'probe-server.mjs'))}\n`, { mode: 0o755 });
    const greeting = `it's "quoted" $HOME \`id\` ; exit 1\nsecond line`;
    const env: Record<string, string> = { HTTPS_PROXY: 'http://proxy.corp.example:8080', GREETING: greeting };
    if (vector === 'a bwrap beside the server') {
      writeFileSync(join(project, 'bwrap'), `#!/bin/sh\necho ran > ${quoteWord(join(marks, 'bwrap'))}\nexec ${quoteWord(REAL_BWRAP!)} "$@"\n`, { mode: 0o755 });
    } else if (vector === 'BASH_ENV in its config') {
      writeFileSync(join(project, 'bash-env.sh'), `echo ran > ${quoteWord(join(marks, 'bash-env'))}\n`);
      env.BASH_ENV = join(project, 'bash-env.sh');
    } else {
      env.LD_PRELOAD = markingLibrary(project, join(marks, 'ld-preload'))!;
    }

    t = await makeHost({ sandbox: createOsSandbox(), homeDir: home, env: { ...process.env, HOME: home } });
    const { host } = t;
    const view = await host.servers.add({ name: 'beside', config: { transport: 'stdio', command: join(project, 'server'), args: [], env } });
    const request = await host.servers.consentRequest(view.id);
    expect(request.spec.sandbox.mode).toBe('enforced');
    expect((await host.servers.decideConsent(view.id, request.spec.hash, 'approve', 'user')).status).toBe('running');
    const call = async (name: string, args: Record<string, unknown>) => textOf(await host.tools.call({ serverId: view.id, name, arguments: args }));

    expect(readdirSync(marks)).toEqual([]);
    expect(await call('read', { path: join(home, '.ssh', 'id_rsa') })).toMatch(/^denied:/);
    // The config's environment reached the server itself, value for value, inside the sandbox.
    const seen = JSON.parse(await call('env', {})) as Record<string, string>;
    for (const name of ['GREETING', 'BASH_ENV', 'LD_PRELOAD']) expect(seen[name]).toBe(env[name]);
    expect(seen.PATH?.split(':')[0]).toBe(project);
    // The sandbox's own proxy is the only way out: the config's proxy gives way to it.
    expect(seen.HTTPS_PROXY).toMatch(/@localhost:\d+$/);
    expect(seen.TMPDIR).toBe(join(t.dir, 'data', 'servers', view.id, 'tmp'));
    await host.servers.stop(view.id);
    expect(readdirSync(marks)).toEqual([]);
  });

  it('a large environment reaches the server whole, and no command line on the machine shows a value of it', async () => {
    const home = tempDir('steward-home-');
    t = await makeHost({ sandbox: createOsSandbox(), homeDir: home, env: { ...process.env, HOME: home } });
    const { host } = t;
    const secret = `sk-steward-test-${randomBytes(12).toString('hex')}`;
    const env = {
      API_KEY: secret,
      RANDOM: 'abc',
      SECONDS: '7',
      _: 'x',
      ...Object.fromEntries(['A', 'B', 'C', 'D'].map((name) => [`BIG_${name}`, name.repeat(32_000)])),
    };
    const view = await host.servers.add({ name: 'big', config: { transport: 'stdio', command: NODE, args: [join(FIXTURES, 'probe-server.mjs')], env } });
    const request = await host.servers.consentRequest(view.id);
    expect((await host.servers.decideConsent(view.id, request.spec.hash, 'approve', 'user')).status).toBe('running');
    const seen = JSON.parse(textOf(await host.tools.call({ serverId: view.id, name: 'env', arguments: {} }))) as Record<string, string>;
    for (const [name, value] of Object.entries(env)) expect(seen[name]).toBe(value);
    // Command lines are readable by every user of the machine; a process's environment only by its owner.
    const showing = readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(secret);
        } catch {
          return false;
        }
      });
    expect(showing).toEqual([]);
    await host.servers.stop(view.id);
  });
});
