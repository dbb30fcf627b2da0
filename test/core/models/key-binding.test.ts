// The model key belongs to the origin of the API address it was entered for. Hostile: a renderer that changes only the
// address (models:set to another origin, no key) must not get the stored key sent there; a flood of models:set calls
// that change nothing must not fill the audit log.
import { afterEach, describe, expect, it } from 'vitest';
import { createAnthropicProvider } from '../../../main/core/models/index.js';
import type { MappedRequest } from '../../../main/core/models/anthropic-mapping.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../fixtures/fake-anthropic.mjs';
import { makeHost, type TestHost } from '../../helpers/host.js';

let t: TestHost | undefined;
const apis: FakeAnthropic[] = [];
afterEach(async () => {
  await t?.close();
  t = undefined;
  for (const api of apis.splice(0)) await api.close();
});

async function api(): Promise<FakeAnthropic> {
  const started = await startFakeAnthropic({ apiKey: `sk-ant-test-${apis.length}-0123456789`, replies: [{ text: 'hello' }] });
  apis.push(started);
  return started;
}

/** A model call the way sampling makes one: the key and the address asked for at the time of the call. */
function callModel(host: TestHost['host']) {
  const provider = createAnthropicProvider({ apiKey: () => host.models.apiKey(), baseUrl: () => host.models.baseUrl() });
  const request: MappedRequest = {
    model: 'claude-sonnet-5-5',
    systemPrompt: null,
    messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
    tools: [],
    toolChoice: 'auto',
    maxTokens: 10,
    stopSequences: [],
    parameters: { userId: null },
  };
  return provider.complete({ prepared: provider.prepare(request) });
}

const modelAudit = (host: TestHost['host']) => host.audit.list({ kind: 'models.settings', limit: 100 });

describe('the model key and the API address', () => {
  it('deletes the key when the address moves to another origin, and sends it nothing there', async () => {
    const home = await api();
    const elsewhere = await api();
    t = await makeHost();
    await t.host.dispatch('models:set', { baseUrl: home.url });
    await t.host.dispatch('models:setKey', { apiKey: home.apiKey });
    const moved = await t.host.dispatch('models:set', { baseUrl: elsewhere.url });
    expect(moved).toMatchObject({ ok: true, data: { baseUrl: `${elsewhere.url}/`, hasKey: false } });
    expect(await t.host.models.apiKey()).toBeUndefined();
    await expect(callModel(t.host)).rejects.toMatchObject({ code: 'not_supported' });
    expect(elsewhere.requests).toHaveLength(0);
    const [row] = modelAudit(t.host);
    expect(row?.summary).toMatch(/key was deleted: the API address moved from http:\/\/127\.0\.0\.1:\d+\/ to http:\/\/127\.0\.0\.1:\d+\//);
    expect(JSON.stringify(modelAudit(t.host))).not.toContain(home.apiKey);
  });

  it('deletes the key when an address is cleared back to the provider’s own, and when one is first set', async () => {
    const elsewhere = await api();
    t = await makeHost({ env: { ...process.env, ANTHROPIC_BASE_URL: undefined } });
    await t.host.models.setKey('sk-ant-for-anthropic-0123456789');
    // Entered for https://api.anthropic.com (no address set): a new address elsewhere does not inherit it.
    await t.host.dispatch('models:set', { baseUrl: elsewhere.url });
    expect(await t.host.models.hasKey()).toBe(false);
    await t.host.models.setKey('sk-ant-for-the-proxy-0123456789');
    await t.host.dispatch('models:set', { baseUrl: null });
    expect(await t.host.models.hasKey()).toBe(false);
  });

  it('keeps the key for another path on the same origin, and for changes that leave the address alone', async () => {
    const home = await api();
    t = await makeHost();
    await t.host.dispatch('models:set', { baseUrl: home.url });
    await t.host.dispatch('models:setKey', { apiKey: home.apiKey });
    await t.host.dispatch('models:set', { enabledModels: ['claude-haiku-5-5', 'claude-sonnet-5-5'], defaultModel: 'claude-haiku-5-5' });
    expect(await t.host.models.apiKey()).toBe(home.apiKey);
    await t.host.dispatch('models:set', { baseUrl: `${home.url}/proxy/` });
    expect(await t.host.models.apiKey()).toBe(home.apiKey);
    await t.host.dispatch('models:set', { baseUrl: home.url });
    expect((await callModel(t.host)).content).toMatchObject([{ type: 'text', text: 'hello' }]);
    expect(home.requests.at(-1)?.headers.authorization).toBe(`Bearer ${home.apiKey}`);
  });

  it('takes the key again after the address moved: set the address, then the key', async () => {
    const home = await api();
    const next = await api();
    t = await makeHost();
    await t.host.dispatch('models:set', { baseUrl: home.url });
    await t.host.dispatch('models:setKey', { apiKey: home.apiKey });
    await t.host.dispatch('models:set', { baseUrl: next.url });
    await t.host.dispatch('models:setKey', { apiKey: next.apiKey });
    expect((await callModel(t.host)).content).toMatchObject([{ type: 'text', text: 'hello' }]);
    expect(next.requests.at(-1)?.headers.authorization).toBe(`Bearer ${next.apiKey}`);
  });

  it('writes no audit row, and changes nothing, for a models:set that changes nothing', async () => {
    const home = await api();
    t = await makeHost();
    await t.host.dispatch('models:set', { baseUrl: home.url });
    await t.host.dispatch('models:setKey', { apiKey: home.apiKey });
    const before = modelAudit(t.host).length;
    const current = await t.host.models.get();
    for (let i = 0; i < 20; i++) expect(await t.host.dispatch('models:set', {})).toMatchObject({ ok: true });
    // The settings screen sends everything it shows, unchanged.
    const same = await t.host.dispatch('models:set', { baseUrl: current.baseUrl, enabledModels: current.enabledModels, defaultModel: current.defaultModel });
    expect(same).toMatchObject({ ok: true, data: { hasKey: true, baseUrl: current.baseUrl } });
    expect(modelAudit(t.host)).toHaveLength(before);
    await t.host.dispatch('models:set', { defaultModel: 'claude-haiku-5-5' });
    expect(modelAudit(t.host)).toHaveLength(before + 1);
  });
});
