// The model key belongs to the origin of the API address it was saved for. Hostile: a renderer that changes only the
// address (models:set to another origin, no key) must not get a key already in use sent there; a second process whose
// ANTHROPIC_BASE_URL names another origin (or a restart with another one) must not be handed the key, whoever moves the
// address; a hand-edited binding applies nowhere; a flood of models:set calls that change nothing must not fill the
// audit log. The user's own order, key first and then the gateway's address, must keep the key.
import { afterEach, describe, expect, it } from 'vitest';
import { createAnthropicProvider, ModelSettingsService } from '../../../main/core/models/index.js';
import type { MappedRequest } from '../../../main/core/models/anthropic-mapping.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../fixtures/fake-anthropic.mjs';
import { makeHost, type TestHost } from '../../helpers/host.js';
import { memorySecrets, memorySettings } from '../../helpers/memory-ports.js';

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
  it('keeps a key already used at one origin there: another address gets no key, and the audit row says so', async () => {
    const home = await api();
    const elsewhere = await api();
    t = await makeHost();
    await t.host.dispatch('models:set', { baseUrl: home.url });
    await t.host.dispatch('models:setKey', { apiKey: home.apiKey });
    await callModel(t.host);
    const moved = await t.host.dispatch('models:set', { baseUrl: elsewhere.url });
    expect(moved).toMatchObject({ ok: true, data: { baseUrl: `${elsewhere.url}/`, hasKey: false } });
    expect(await t.host.models.apiKey()).toBeUndefined();
    await expect(callModel(t.host)).rejects.toMatchObject({ code: 'not_supported' });
    expect(elsewhere.requests).toHaveLength(0);
    const [row] = modelAudit(t.host);
    expect(row?.summary).toMatch(/key no longer applies: it was saved for http:\/\/127\.0\.0\.1:\d+, and the API address is now http:\/\/127\.0\.0\.1:\d+/);
    expect(JSON.stringify(modelAudit(t.host))).not.toContain(home.apiKey);
    // Nothing was deleted: back at its own origin, the key is used again.
    await t.host.dispatch('models:set', { baseUrl: home.url });
    expect(await t.host.models.apiKey()).toBe(home.apiKey);
  });

  it('keeps the key the user just saved when the gateway’s address comes second (first setup)', async () => {
    const gateway = await api();
    t = await makeHost({ env: { ...process.env, ANTHROPIC_BASE_URL: undefined } });
    await t.host.dispatch('models:setKey', { apiKey: gateway.apiKey });
    const moved = await t.host.dispatch('models:set', { baseUrl: gateway.url });
    expect(moved).toMatchObject({ ok: true, data: { hasKey: true } });
    expect((await callModel(t.host)).content).toMatchObject([{ type: 'text', text: 'hello' }]);
    expect(gateway.requests.at(-1)?.headers.authorization).toBe(`Bearer ${gateway.apiKey}`);
    expect(modelAudit(t.host)[0]?.summary).toMatch(/not yet used, now goes to http:\/\/127\.0\.0\.1:\d+ instead of https:\/\/api\.anthropic\.com/);
    // It followed once: clearing the address back to Anthropic's own does not take the gateway's key along.
    await t.host.dispatch('models:set', { baseUrl: null });
    expect(await t.host.models.hasKey()).toBe(false);
  });

  it('takes the key after the gateway’s address (first setup, the other order)', async () => {
    const gateway = await api();
    t = await makeHost({ env: { ...process.env, ANTHROPIC_BASE_URL: undefined } });
    await t.host.dispatch('models:set', { baseUrl: gateway.url });
    await t.host.dispatch('models:setKey', { apiKey: gateway.apiKey });
    expect((await callModel(t.host)).content).toMatchObject([{ type: 'text', text: 'hello' }]);
    expect(gateway.requests.at(-1)?.headers.authorization).toBe(`Bearer ${gateway.apiKey}`);
  });

  it('does not let a key used at the address with none chosen follow a new address', async () => {
    const home = await api();
    const elsewhere = await api();
    // No address in the settings: requests go to ANTHROPIC_BASE_URL, and the key saved is used there.
    t = await makeHost({ env: { ...process.env, ANTHROPIC_BASE_URL: home.url } });
    await t.host.dispatch('models:setKey', { apiKey: home.apiKey });
    await callModel(t.host);
    await t.host.dispatch('models:set', { baseUrl: elsewhere.url });
    expect(await t.host.models.hasKey()).toBe(false);
    await expect(callModel(t.host)).rejects.toMatchObject({ code: 'not_supported' });
    expect(elsewhere.requests).toHaveLength(0);
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

describe('processes with different ANTHROPIC_BASE_URL on one data folder', () => {
  const GATEWAY = 'https://gateway.corp.example';

  it('never hands the key saved in one to the other origin, whichever process sets the address', async () => {
    const settings = memorySettings();
    const secrets = memorySecrets();
    const desktop = new ModelSettingsService(settings, secrets, undefined);
    const cli = new ModelSettingsService(settings, secrets, GATEWAY);
    await desktop.setKey('sk-ant-for-anthropic-0123456789');
    expect(await cli.apiKey()).toBeUndefined();
    expect(await cli.hasKey()).toBe(false);
    // The command line sees no move (its variable already names the gateway); the desktop then would.
    const change = await cli.set({ baseUrl: GATEWAY });
    expect(change.settings.hasKey).toBe(false);
    desktop.forget();
    expect(desktop.baseUrl()).toBe(`${GATEWAY}/`);
    expect(await desktop.apiKey()).toBeUndefined();
  });

  it('gives a stored key nowhere new when a process restarts with another ANTHROPIC_BASE_URL', async () => {
    const settings = memorySettings();
    const secrets = memorySecrets();
    const before = new ModelSettingsService(settings, secrets, undefined);
    await before.setKey('sk-ant-for-anthropic-0123456789');
    expect(await before.apiKey()).toBe('sk-ant-for-anthropic-0123456789');
    expect(await new ModelSettingsService(settings, secrets, GATEWAY).apiKey()).toBeUndefined();
    expect(await new ModelSettingsService(settings, secrets, undefined).apiKey()).toBe('sk-ant-for-anthropic-0123456789');
  });

  it('binds a key stored before bindings existed to the address of its first read, and a hand-edited binding to none', async () => {
    const settings = memorySettings();
    const secrets = memorySecrets();
    await secrets.set('models/anthropic/api-key', 'sk-ant-legacy-0123456789');
    expect(await new ModelSettingsService(settings, secrets, undefined).apiKey()).toBe('sk-ant-legacy-0123456789');
    expect(await new ModelSettingsService(settings, secrets, GATEWAY).apiKey()).toBeUndefined();
    for (const hostile of ['https://api.anthropic.com', 42, { origin: ['https://api.anthropic.com'] }, { origin: 'null' }]) {
      settings.put('models.anthropic.key-origin', hostile);
      expect(await new ModelSettingsService(settings, secrets, undefined).hasKey()).toBe(false);
    }
  });
});
