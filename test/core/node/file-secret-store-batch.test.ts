// A batch of secret changes is one write of the secrets file. Hostile input tried: a config's worth of values (hundreds)
// saved at once, which used to be one locked, flushed rewrite of the whole file per value; a batch that sets and
// removes the same key; removals of keys the file does not hold, and of names every object inherits (toString).
// Writes are counted at the rename that puts each new file in place.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FileSecretStore } from '../../../main/core/node/index.js';
import { tempDir } from '../../helpers/host.js';

const renames = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return {
    ...fs,
    renameSync: (from: string, to: string) => {
      if (to.endsWith('secrets.json')) renames.count++;
      fs.renameSync(from, to);
    },
  };
});

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  renames.count = 0;
});

function store(): FileSecretStore {
  const dir = tempDir('steward-secrets-batch-');
  dirs.push(dir);
  return new FileSecretStore(join(dir, 'secrets.json'));
}

describe('FileSecretStore.change', () => {
  it('sets 300 values and removes 100 in one write', async () => {
    const secrets = store();
    await secrets.change(new Map(Array.from({ length: 400 }, (_, i) => [`k/${i}`, `v${i}`])), []);
    expect(renames.count).toBe(1);

    const keep = new Map(Array.from({ length: 300 }, (_, i) => [`k/${i}`, `new ${i}`]));
    const drop = Array.from({ length: 100 }, (_, i) => `k/${300 + i}`);
    await secrets.change(keep, drop);
    expect(renames.count).toBe(2);
    expect(await secrets.keys('k/')).toHaveLength(300);
    expect(await secrets.get('k/7')).toBe('new 7');
    expect(await secrets.get('k/350')).toBeUndefined();
  });

  it('sets a key named in both lists, and writes nothing for removals of keys it does not hold', async () => {
    const secrets = store();
    await secrets.change(new Map([['a', '1']]), ['a']);
    expect(await secrets.get('a')).toBe('1');
    expect(renames.count).toBe(1);
    await secrets.change(new Map(), ['missing', 'toString', 'constructor']);
    await secrets.change(new Map(), []);
    expect(renames.count).toBe(1);
    await secrets.delete('a');
    expect(renames.count).toBe(2);
    expect(await secrets.keys('')).toEqual([]);
  });
});
