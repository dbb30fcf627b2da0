// The model settings service on in-memory ports (a settings table, a secret store): no SQLite, no host. Two services on
// one settings port stand for the app and a CLI command sharing a data folder.
import { describe, expect, it } from 'vitest';
import type { ModelSettings } from '../../../shared/domain/sampling.js';
import { DEFAULT_MODEL, ModelSettingsService } from '../../../main/core/models/index.js';
import { memorySecrets, memorySettings } from '../../helpers/memory-ports.js';

describe('model settings on their narrow ports', () => {
  it('keeps its cached address until told another process changed it, then sends to the new one and says so', async () => {
    const settings = memorySettings();
    const secrets = memorySecrets();
    const heard: ModelSettings[] = [];
    const app = new ModelSettingsService(settings, secrets, undefined, (s) => heard.push(s));
    const cli = new ModelSettingsService(settings, secrets, undefined);
    expect(app.baseUrl()).toBeUndefined();

    await cli.set({ baseUrl: 'https://models.example.com/' });
    expect(app.baseUrl()).toBeUndefined();
    app.forget();
    expect(app.baseUrl()).toBe('https://models.example.com/');
    await expect.poll(() => heard.at(-1)?.baseUrl).toBe('https://models.example.com/');
  });

  it('lists the enabled models as set here at once, and as set by another process once told (the list is kept between rounds)', async () => {
    const settings = memorySettings();
    const app = new ModelSettingsService(settings, memorySecrets(), undefined);
    const cli = new ModelSettingsService(settings, memorySecrets(), undefined);
    const before = app.enabled();
    expect(app.enabled()).toBe(before);

    await app.set({ enabledModels: ['claude-haiku-5-5'] });
    expect(app.enabled().map((m) => m.id)).toEqual(['claude-haiku-5-5']);
    await cli.set({ enabledModels: ['claude-opus-5-5', 'claude-haiku-5-5'] });
    expect(app.enabled().map((m) => m.id)).toEqual(['claude-haiku-5-5']);
    app.forget();
    expect(
      app
        .enabled()
        .map((m) => m.id)
        .sort(),
    ).toEqual(['claude-haiku-5-5', 'claude-opus-5-5']);
  });

  it('refuses an unknown model or an address the gate refuses, and writes nothing', async () => {
    const settings = memorySettings();
    const models = new ModelSettingsService(settings, memorySecrets(), undefined);
    await expect(models.set({ enabledModels: ['claude-opus-5-5', 'gpt-9'] })).rejects.toMatchObject({ code: 'invalid_payload' });
    await expect(models.set({ enabledModels: [] })).rejects.toMatchObject({ code: 'invalid_payload' });
    await expect(models.set({ baseUrl: 'https://user:hunter2@models.example.com/' })).rejects.toMatchObject({ code: 'invalid_payload' });
    await expect(models.set({ baseUrl: 'http://169.254.169.254/' })).rejects.toMatchObject({ code: 'invalid_payload' });
    expect(settings.raw.size).toBe(0);
  });

  it('reads a hand-edited record safely: unknown models dropped, a default outside the list replaced', () => {
    const settings = memorySettings();
    settings.put('models.anthropic', { enabledModels: ['gpt-9', 'claude-haiku-5-5'], defaultModel: 'gpt-9', baseUrl: null });
    const models = new ModelSettingsService(settings, memorySecrets(), undefined);
    expect(models.enabled().map((m) => m.id)).toEqual(['claude-haiku-5-5']);
    expect(models.defaultModel()).toBe('claude-haiku-5-5');

    settings.put('models.anthropic', { enabledModels: ['gpt-9'] });
    models.forget();
    expect(models.defaultModel()).toBe(DEFAULT_MODEL);
  });

  it('refuses a stored address the gate refuses, when it is about to be used, without repeating its password', () => {
    const settings = memorySettings();
    settings.put('models.anthropic', { baseUrl: 'https://user:hunter2@models.example.com/' });
    const models = new ModelSettingsService(settings, memorySecrets(), undefined);
    let message = '';
    try {
      models.baseUrl();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/will not send your key/);
    expect(message).not.toContain('hunter2');
  });

  it('keeps the key in the secret store only; the settings get a marker other processes notice', async () => {
    const settings = memorySettings();
    const secrets = memorySecrets();
    const models = new ModelSettingsService(settings, secrets, undefined);
    await models.setKey('  sk-ant-secret  ');
    expect(await models.apiKey()).toBe('sk-ant-secret');
    expect([...settings.raw.values()].join('\n')).not.toContain('sk-ant-secret');
    expect(settings.raw.has('models.anthropic.key-changed')).toBe(true);
    await models.setKey(null);
    expect(await models.hasKey()).toBe(false);
  });
});
