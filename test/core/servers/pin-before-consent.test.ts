// Pinning a package's version happens while the consent request is made, before the user agreed to anything, so it must
// run nothing the config names. Hostile input tried: a config (as imported from another host's file) whose command is a
// `docker` or an `npx` in a folder of its own, beside an `npm` there — each writes a marker if Steward ever runs it —
// and a registry named in the config on this computer, for an npm package and for an image. Also the host's npm found
// only in nvm's folder while Steward's PATH (a desktop launcher's) has no node, and an npm there that cannot run at all.
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nodeFsView, type FsView } from '../../../main/core/security/index.js';
import { undoAfterEach } from '../../helpers/cleanup.js';
import { makeHostFor, tempDir } from '../../helpers/host.js';

const undo = undoAfterEach();
afterEach(() => {
  vi.unstubAllGlobals();
});

const DIGEST = `sha256:${'c'.repeat(64)}`;

function script(path: string, body: string): string {
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** A folder the config points at: each program in it leaves a line in `marker` when run. */
function configFolder(names: string[]): { dir: string; marker: string } {
  const dir = tempDir('steward-config-bin-');
  const marker = join(dir, 'marker');
  for (const name of names) script(join(dir, name), `echo "RAN $0 $*" >> '${marker}'\nexit 1`);
  return { dir, marker };
}

/** Steward's own PATH: an npm that answers `npm view` (and logs that it was asked), and node. */
function hostBin(): { dir: string; asked: string } {
  const dir = tempDir('steward-host-bin-');
  const asked = join(dir, 'asked');
  script(
    join(dir, 'npm'),
    `echo "$*" >> '${asked}'\necho '{"name":"some-mcp-server","version":"1.2.3","bin":{"some-mcp-server":"index.js"},"dist.integrity":"sha512-x"}'`,
  );
  symlinkSync(process.execPath, join(dir, 'node'));
  return { dir, asked };
}

/** What the config's programs left in their marker: nothing, unless one of them ran. */
const ran = (marker: string) => (existsSync(marker) ? readFileSync(marker, 'utf8') : '');

/** The consent request or what failed in its place, so the marker is checked first either way. */
async function settled<T>(asked: Promise<T>): Promise<{ request?: T; failure?: unknown }> {
  try {
    return { request: await asked };
  } catch (failure) {
    return { failure };
  }
}

async function host(pathDirs: string[], home = tempDir('steward-home-'), fs?: FsView) {
  mkdirSync(join(home, '.ssh'));
  const t = await makeHostFor(undo, { homeDir: home, env: { HOME: home, PATH: pathDirs.join(':') }, ...(fs ? { fs } : {}) });
  return t.host;
}

/** nvm's folder in a home of its own, holding `npm` and a node beside it; this machine's npm is hidden from the lookup. */
function nvmHome(npm: string): { home: string; bin: string; fs: FsView } {
  const home = tempDir('steward-home-');
  const bin = join(home, '.nvm', 'versions', 'node', 'v22.1.0', 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'npm'), npm);
  chmodSync(join(bin, 'npm'), 0o755);
  symlinkSync(process.execPath, join(bin, 'node'));
  const fs: FsView = { ...nodeFsView, isExecutableFile: (p) => (basename(p) === 'npm' && !p.startsWith(home) ? false : nodeFsView.isExecutableFile(p)) };
  return { home, bin, fs };
}

/** A registry on 127.0.0.1 that counts what reaches it. */
async function countingRegistry(): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server: Server = createServer((_req, res) => {
    hits += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"dist-tags":{"latest":"9.9.9"},"versions":{"9.9.9":{"bin":"x.js"}}}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  undo(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits };
}

describe('pinning before consent runs nothing the config names', () => {
  it('pins an image by asking its registry, never by running the configured docker', async () => {
    const evil = configFolder(['docker']);
    const asked: string[] = [];
    // Docker Hub's way: a Bearer challenge, an anonymous token, then the digest of the tag.
    vi.stubGlobal('fetch', (url: string, init: RequestInit = {}) => {
      asked.push(`${init.method ?? 'GET'} ${url}`);
      if (url.startsWith('https://auth.docker.io/token?')) return Promise.resolve(Response.json({ token: 'anon' }));
      if (url === 'https://registry-1.docker.io/v2/mcp/thing/manifests/latest') {
        const authorized = new Headers(init.headers).get('authorization') === 'Bearer anon';
        return Promise.resolve(
          authorized
            ? new Response(null, { status: 200, headers: { 'docker-content-digest': DIGEST } })
            : new Response(null, {
                status: 401,
                headers: { 'www-authenticate': 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:mcp/thing:pull"' },
              }),
        );
      }
      return Promise.resolve(new Response(null, { status: 404 }));
    });
    const h = await host([hostBin().dir]);
    const view = await h.servers.add({
      name: 'img',
      config: { transport: 'stdio', command: join(evil.dir, 'docker'), args: ['run', '-i', 'mcp/thing'], env: {} },
    });
    const { request, failure } = await settled(h.servers.consentRequest(view.id));
    expect(ran(evil.marker)).toBe('');
    expect(failure).toBeUndefined();
    expect(request!.state).toBe('required');
    expect(request!.spec.runner!.packages[0]).toMatchObject({ name: 'mcp/thing', version: DIGEST, pinnedBy: 'steward' });
    expect(asked).toContain('HEAD https://registry-1.docker.io/v2/mcp/thing/manifests/latest');
  });

  it('pins an npm package with the npm on Steward’s own PATH, never the one beside the configured npx', async () => {
    const evil = configFolder(['npx', 'npm']);
    const trusted = hostBin();
    const h = await host([trusted.dir]);
    const view = await h.servers.add({ name: 'pkg', config: { transport: 'stdio', command: join(evil.dir, 'npx'), args: ['-y', 'some-mcp-server'], env: {} } });
    const { request, failure } = await settled(h.servers.consentRequest(view.id));
    expect(ran(evil.marker)).toBe('');
    expect(failure).toBeUndefined();
    expect(request!.spec.runner!.packages[0]).toMatchObject({ name: 'some-mcp-server', version: '1.2.3', pinnedBy: 'steward' });
    expect(readFileSync(trusted.asked, 'utf8')).toContain('view some-mcp-server@latest');
  });

  it('pins with an npm found only in nvm’s folder, though Steward’s PATH has no node', async () => {
    const asked = join(tempDir('steward-asked-'), 'asked');
    const nvm = nvmHome(
      [
        '#!/usr/bin/env node',
        `require('node:fs').appendFileSync(${JSON.stringify(asked)}, process.argv.slice(2).join(' ') + '\\n');`,
        `console.log(JSON.stringify({ name: 'some-mcp-server', version: '2.3.4', bin: { 'some-mcp-server': 'index.js' }, 'dist.integrity': 'sha512-y' }));`,
      ].join('\n'),
    );
    const evil = configFolder(['npx']);
    const h = await host([tempDir('steward-empty-bin-')], nvm.home, nvm.fs);
    const view = await h.servers.add({ name: 'nvm', config: { transport: 'stdio', command: join(evil.dir, 'npx'), args: ['-y', 'some-mcp-server'], env: {} } });
    const { request, failure } = await settled(h.servers.consentRequest(view.id));
    expect(ran(evil.marker)).toBe('');
    expect(failure).toBeUndefined();
    expect(request!.spec.runner!.packages[0]).toMatchObject({ name: 'some-mcp-server', version: '2.3.4', pinnedBy: 'steward' });
    expect(readFileSync(asked, 'utf8')).toContain('view some-mcp-server@latest');
  });

  it('asks the registry over HTTPS when the npm found cannot run', async () => {
    const asked: string[] = [];
    vi.stubGlobal('fetch', (url: string) => {
      asked.push(url);
      return Promise.resolve(
        url === 'https://registry.npmjs.org/some-mcp-server'
          ? Response.json({ 'dist-tags': { latest: '4.5.6' }, versions: { '4.5.6': { bin: 'index.js', dist: { integrity: 'sha512-z' } } } })
          : new Response(null, { status: 404 }),
      );
    });
    const nvm = nvmHome('#!/bin/sh\necho "env: node: No such file or directory" >&2\nexit 127\n');
    const evil = configFolder(['npx']);
    const h = await host([tempDir('steward-empty-bin-')], nvm.home, nvm.fs);
    const view = await h.servers.add({
      name: 'broken-npm',
      config: { transport: 'stdio', command: join(evil.dir, 'npx'), args: ['-y', 'some-mcp-server'], env: {} },
    });
    const { request, failure } = await settled(h.servers.consentRequest(view.id));
    expect(ran(evil.marker)).toBe('');
    expect(failure).toBeUndefined();
    expect(request!.spec.runner!.packages[0]).toMatchObject({ name: 'some-mcp-server', version: '4.5.6', pinnedBy: 'steward' });
    expect(asked).toEqual(['https://registry.npmjs.org/some-mcp-server']);
  });

  it('never contacts an npm registry the config puts on this computer', async () => {
    const registry = await countingRegistry();
    const evil = configFolder(['npx']);
    const h = await host([tempDir('steward-empty-bin-')]);
    const view = await h.servers.add({
      name: 'local-registry',
      config: { transport: 'stdio', command: join(evil.dir, 'npx'), args: ['--registry', `http://${registry.url}/`, '-y', 'some-pkg'], env: {} },
    });
    await expect(h.servers.consentRequest(view.id)).rejects.toMatchObject({
      code: 'config_invalid',
      message: expect.stringContaining('Steward will not ask') as string,
    });
    expect(registry.hits()).toBe(0);
    expect(h.servers.get(view.id).lastError?.code).toBe('config_invalid');
  });

  it('never contacts an image registry on this computer, nor pulls from it', async () => {
    const registry = await countingRegistry();
    const evil = configFolder(['docker']);
    const h = await host([tempDir('steward-empty-bin-')]);
    const view = await h.servers.add({
      name: 'local-image',
      config: { transport: 'stdio', command: join(evil.dir, 'docker'), args: ['run', '-i', `${registry.url}/img`], env: {} },
    });
    await expect(h.servers.consentRequest(view.id)).rejects.toMatchObject({ code: 'config_invalid' });
    expect(registry.hits()).toBe(0);
    expect(ran(evil.marker)).toBe('');
  });
});
