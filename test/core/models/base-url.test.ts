// The model API address goes through the URL gate like every other URL, whether the settings or ANTHROPIC_BASE_URL
// name it: credentials, plain http to another machine and link-local (metadata service) addresses are refused before
// the key is sent anywhere, and a password in the address is never repeated back.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAnthropicProvider } from '../../../main/core/models/index.js';
import { openStore } from '../../../main/core/store/index.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../fixtures/fake-anthropic.mjs';
import { makeHost, type TestHost } from '../../helpers/host.js';

let t: TestHost | undefined;
let api: FakeAnthropic | undefined;
afterEach(async () => {
  await t?.close();
  await api?.close();
  t = undefined;
  api = undefined;
});

describe('the model API address', () => {
  it.each([
    'https://sk-ant-user:hunter2@api.example.com/',
    'https://hunter2@api.example.com/v1',
    'http://api.example.com/',
    'https://169.254.169.254/',
    'javascript:alert(1)',
  ])('refuses %s in the settings, without repeating it', async (url) => {
    t = await makeHost();
    const outcome = await t.host.dispatch('models:set', { baseUrl: url });
    expect(outcome).toMatchObject({ ok: false, code: 'invalid_payload' });
    expect(JSON.stringify(outcome)).not.toContain('hunter2');
    expect((await t.host.models.get()).baseUrl).toBeNull();
    expect(JSON.stringify(t.host.audit.list({ limit: 50 }))).not.toContain('hunter2');
  });

  it.each(['https://key:hunter2@evil.example/', 'http://evil.example/', 'https://169.254.169.254/latest/', 'file:///etc/passwd'])(
    'refuses ANTHROPIC_BASE_URL=%s before any request is made',
    async (url) => {
      t = await makeHost({ env: { ...process.env, ANTHROPIC_BASE_URL: url } });
      await t.host.models.setKey('sk-ant-test-key-123');
      expect(() => t!.host.models.baseUrl()).toThrow(/ANTHROPIC_BASE_URL/);
      try {
        t.host.models.baseUrl();
      } catch (error) {
        expect(error).toMatchObject({ code: 'invalid_payload' });
        expect((error as Error).message).not.toContain('hunter2');
        expect((error as Error).message).not.toContain('evil.example');
      }
    },
  );

  it('never shows the password of an address stored before the gate (or by hand), and refuses to send the key there', async () => {
    t = await makeHost();
    // Hostile input: the settings row itself holds credentials, as an older Steward or an edited database could leave it.
    const store = openStore(join(t.dir, 'data', 'steward.db'));
    store.settings.put('models.anthropic', { baseUrl: 'https://sk-ant-user:hunter2@api.example.com/v1' });
    store.close();
    t.host.models.forget();
    const shown = await t.host.dispatch('models:get', {});
    expect(shown).toMatchObject({ ok: true, data: { baseUrl: 'https://api.example.com/v1' } });
    expect(JSON.stringify(shown)).not.toContain('hunter2');
    expect(() => t!.host.models.baseUrl()).toThrow(/user name or password/);
    // Changing something else leaves the address to be judged where it is used; the page still never shows the password.
    const changed = await t.host.dispatch('models:set', { defaultModel: (await t.host.models.get()).defaultModel });
    expect(JSON.stringify(changed)).not.toContain('hunter2');
    await t.host.models.set({ baseUrl: null });
    expect((await t.host.models.get()).baseUrl).toBeNull();
  });

  it('uses an allowed ANTHROPIC_BASE_URL in its canonical form, and the setting over it', async () => {
    api = await startFakeAnthropic();
    t = await makeHost({ env: { ...process.env, ANTHROPIC_BASE_URL: api.url.replace('127.0.0.1', 'LOCALHOST') } });
    expect(t.host.models.baseUrl()).toBe(`${api.url.replace('127.0.0.1', 'localhost')}/`);
    await t.host.models.set({ baseUrl: api.url });
    expect(t.host.models.baseUrl()).toBe(`${api.url}/`);
    expect((await t.host.models.get()).baseUrl).toBe(`${api.url}/`);
  });

  it('stops a model request before anything is sent when ANTHROPIC_BASE_URL is refused', async () => {
    api = await startFakeAnthropic();
    const fake = api;
    // The provider asks for the address at each request: a refused one stops it before anything leaves.
    t = await makeHost({ env: { ...process.env, ANTHROPIC_BASE_URL: `http://user:hunter2@${new URL(fake.url).host}/` } });
    const host = t.host;
    const gated = createAnthropicProvider({ apiKey: () => Promise.resolve(fake.apiKey), baseUrl: () => host.models.baseUrl() });
    const call = { request: { model: 'claude-sonnet-4-5', messages: [], tools: [], maxTokens: 10 } } as unknown as Parameters<typeof gated.complete>[0];
    await expect(gated.complete(call)).rejects.toMatchObject({ code: 'invalid_payload' });
    expect(fake.requests).toHaveLength(0);
  });
});
