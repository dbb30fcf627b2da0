// The file secret store shared by every Steward process: no update lost when several write at once, never a torn
// file after a kill -9, a damaged file refused and kept (never written over), a lock of a dead writer taken over, and
// values sealed by the desktop app's keychain refused by a process without it rather than misread.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSecretStore, type SecretCipher } from '../../../main/core/node/index.js';
import { exitOf, waitFor } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/host.js';
import { stringContaining } from '../../helpers/matchers.js';
import { FIXTURES, NODE } from '../../helpers/paths.js';
import { rmSync } from 'node:fs';

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const step of cleanup.splice(0)) step();
});

function folder(): string {
  const dir = tempDir('steward-secrets-');
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function writer(args: string[]) {
  const child = spawn(NODE, [join(FIXTURES, 'secret-writer.mjs'), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  cleanup.push(() => void child.kill('SIGKILL'));
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => void (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => void (err += c));
  return { child, out: () => out, err: () => err };
}

/** A stand-in for the keychain cipher: reversible, and obviously not plain text. */
const reverse = (text: string) => text.split('').reverse().join('');
const fakeKeychain: SecretCipher = {
  tag: 'keychain',
  seal: (plain) => Promise.resolve(reverse(Buffer.from(plain).toString('base64'))),
  open: (sealed) => Promise.resolve(Buffer.from(reverse(sealed), 'base64').toString()),
};

describe('several processes writing at once', () => {
  it('loses no update: six processes set forty keys each, together', async () => {
    const file = join(folder(), 'secrets.json');
    const writers = Array.from({ length: 6 }, (_, i) => writer(['burst', file, `w${i}`, '40']));
    await waitFor('every writer ready', () => writers.every((w) => w.out().startsWith('ready')));
    for (const w of writers) w.child.stdin.write('go\n');
    await Promise.all(writers.map((w) => exitOf(w.child)));
    expect(writers.map((w) => w.out().includes('done') || w.err())).toEqual(Array(6).fill(true));
    const keys = await new FileSecretStore(file).keys('w');
    expect(keys).toHaveLength(240);
    expect(await new FileSecretStore(file).get('w3-39')).toBe('value of w3-39');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // No lock or temp file is left behind.
    expect(readdirSync(join(file, '..')).sort()).toEqual(['secrets.json']);
  });

  it('never leaves a torn file: a writer killed with SIGKILL mid-write leaves every write it reported', async () => {
    const file = join(folder(), 'secrets.json');
    for (const after of [3, 10, 25]) {
      const w = writer(['loop', file]);
      await waitFor('some writes', () => w.out().split('\n').filter(Boolean).length >= after);
      w.child.kill('SIGKILL');
      await exitOf(w.child);
      const reported = w
        .out()
        .split('\n')
        .filter((l) => /^key-\d+$/.test(l));
      const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
      expect(reported.filter((k) => !(k in stored))).toEqual([]);
    }
  });

  it('takes over a lock whose writer died, and leaves a live writer’s lock alone', async () => {
    const file = join(folder(), 'secrets.json');
    const dead = spawn('true');
    await exitOf(dead);
    writeFileSync(`${file}.lock`, `${dead.pid} some-start-token abc`);
    const store = new FileSecretStore(file);
    await store.set('k', 'v');
    expect(await store.get('k')).toBe('v');
  });
});

describe('a damaged file', () => {
  for (const [what, text] of [
    ['broken JSON', '{"model-key": "sk-ant-'],
    ['a list', '["a", "b"]'],
    ['a value that is not text', '{"a": "x", "b": 5}'],
    ['nothing at all', ''],
  ] as const) {
    it(`is refused with a clear error, copied aside and never written over (${what})`, async () => {
      const dir = folder();
      const file = join(dir, 'secrets.json');
      writeFileSync(file, text, { mode: 0o600 });
      const store = new FileSecretStore(file);
      await expect(store.get('a')).rejects.toMatchObject({ code: 'secrets_unreadable', message: stringContaining('damaged') });
      await expect(store.set('new', 'value')).rejects.toMatchObject({ code: 'secrets_unreadable' });
      await expect(store.delete('a')).rejects.toMatchObject({ code: 'secrets_unreadable' });
      await expect(store.keys('')).rejects.toMatchObject({ code: 'secrets_unreadable' });
      expect(readFileSync(file, 'utf8')).toBe(text);
      const asides = readdirSync(dir).filter((f) => f.startsWith('secrets.json.damaged-'));
      expect(asides).toHaveLength(1);
      expect(readFileSync(join(dir, asides[0]!), 'utf8')).toBe(text);
    });
  }
});

describe('how values are sealed', () => {
  it('the app’s keychain-sealed value is not on disk in the clear, and a process without the keychain refuses it', async () => {
    const file = join(folder(), 'secrets.json');
    const app = new FileSecretStore(file, fakeKeychain);
    await app.set('models/anthropic/api-key', 'sk-ant-secret-value');
    expect(readFileSync(file, 'utf8')).not.toContain('sk-ant-secret-value');
    expect(await app.get('models/anthropic/api-key')).toBe('sk-ant-secret-value');
    const cli = new FileSecretStore(file);
    await expect(cli.get('models/anthropic/api-key')).rejects.toMatchObject({ code: 'secrets_unreadable', message: stringContaining('keychain') });
  });

  it('a value a command stored plain is read by the app, and values from before tagging still read', async () => {
    const file = join(folder(), 'secrets.json');
    await new FileSecretStore(file).set('server/x/env/TOKEN', 'plain-token');
    expect(await new FileSecretStore(file, fakeKeychain).get('server/x/env/TOKEN')).toBe('plain-token');
    writeFileSync(file, JSON.stringify({ old: 'written-before-tags', sealedOld: await fakeKeychain.seal('sealed-before-tags') }), { mode: 0o600 });
    expect(await new FileSecretStore(file).get('old')).toBe('written-before-tags');
    expect(await new FileSecretStore(file, fakeKeychain).get('sealedOld')).toBe('sealed-before-tags');
  });
});
