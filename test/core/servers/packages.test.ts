// The registry questions asked while pinning, before consent: every address goes through the URL gate, redirects
// included, and answers are read only up to a cap. Hostile input tried: a registry the config names at the cloud metadata
// address, a registry that redirects there, one that answers without end, and one that redirects a signed-in question
// to another host. fetch is a stand-in: nothing here leaves the process.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { REGISTRY_ANSWER_BYTES, registryResolver } from '../../../main/core/servers/packages.js';
import type { PinRequest } from '../../../main/core/security/index.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

const npm = (registry: string): PinRequest => ({ ecosystem: 'npm', name: 'some-pkg', requested: '', registry, tool: null });

function stubFetch(answer: (url: string, init: RequestInit) => Response): Array<{ url: string; init: RequestInit }> {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  vi.stubGlobal('fetch', (url: string, init: RequestInit = {}) => {
    calls.push({ url, init });
    return Promise.resolve(answer(url, init));
  });
  return calls;
}

describe('registry questions before consent', () => {
  it('never asks a registry the config puts at the cloud metadata address', async () => {
    const calls = stubFetch(() => Response.json({ 'dist-tags': { latest: '1.0.0' }, versions: { '1.0.0': {} } }));
    await expect(registryResolver.resolve(npm('https://169.254.169.254/latest/'), {})).rejects.toMatchObject({ code: 'config_invalid' });
    expect(calls).toEqual([]);
  });

  it('does not follow a registry’s redirect to an address the gate refuses', async () => {
    const calls = stubFetch(() => new Response(null, { status: 302, headers: { location: 'https://169.254.169.254/latest/meta-data/' } }));
    await expect(registryResolver.resolve(npm('https://registry.example/'), {})).rejects.toMatchObject({
      code: 'config_invalid',
      message: expect.stringContaining('link-local') as string,
    });
    expect(calls.map((c) => c.url)).toEqual(['https://registry.example/some-pkg']);
  });

  it('cuts off an answer larger than the cap instead of holding it whole', async () => {
    const chunk = new TextEncoder().encode(' '.repeat(1024 * 1024));
    let sent = 0;
    stubFetch(() => {
      // A valid document, padded past the cap, produced only as it is read.
      let opened = false;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (!opened) {
            opened = true;
            controller.enqueue(new TextEncoder().encode('{"dist-tags":{"latest":"1.0.0"},"versions":{"1.0.0":{}},"pad":"'));
          } else if (sent <= REGISTRY_ANSWER_BYTES + chunk.length) {
            sent += chunk.length;
            controller.enqueue(chunk);
          } else {
            controller.enqueue(new TextEncoder().encode('"}'));
            controller.close();
          }
        },
      });
      return new Response(body, { headers: { 'content-type': 'application/json' } });
    });
    await expect(registryResolver.resolve(npm('https://registry.example/'), {})).rejects.toMatchObject({
      code: 'download_failed',
      message: expect.stringContaining('Steward stopped reading') as string,
    });
    expect(sent).toBeLessThanOrEqual(REGISTRY_ANSWER_BYTES + chunk.length);
  });

  it('asks an image’s registry for its digest, and does not carry the token to another host on a redirect', async () => {
    const digest = `sha256:${'d'.repeat(64)}`;
    const calls = stubFetch((url, init) => {
      const auth = new Headers(init.headers).get('authorization');
      if (url.startsWith('https://ghcr.io/token?')) return Response.json({ token: 'anon' });
      if (url === 'https://ghcr.io/v2/org/server/manifests/1.0') {
        return auth
          ? new Response(null, { status: 307, headers: { location: 'https://mirror.example/v2/org/server/manifests/1.0' } })
          : new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer realm="https://ghcr.io/token",service="ghcr.io"' } });
      }
      return new Response(null, { status: 200, headers: { 'docker-content-digest': digest } });
    });
    const pinned = await registryResolver.resolve({ ecosystem: 'oci', name: 'ghcr.io/org/server', requested: '1.0', registry: '', tool: '/bin/false' }, {});
    expect(pinned).toEqual({ version: digest, integrity: digest, bin: null });
    const token = calls.find((c) => c.url.startsWith('https://ghcr.io/token?'));
    expect(new URL(token!.url).searchParams.get('scope')).toBe('repository:org/server:pull');
    const mirror = calls.find((c) => c.url.startsWith('https://mirror.example/'));
    expect(new Headers(mirror!.init.headers).get('authorization')).toBeNull();
  });
});
