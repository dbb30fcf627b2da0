// The user's model settings: which models may be used, the default, the API address, and whether a key is set.
import { ModelSettingsSchema, type ModelInfo, type ModelSettings } from '../../../shared/domain/sampling.js';
import { StewardError } from '../../../shared/errors.js';
import type { SecretStore } from '../ports.js';
import { judgeUrl } from '../security/index.js';
import type { SettingsRepo } from '../store/index.js';
import { ANTHROPIC_CATALOG, DEFAULT_MODEL } from './catalog.js';

const KEY = 'models/anthropic/api-key';
const SETTING = 'models.anthropic';

interface Stored {
  baseUrl: string | null;
  enabledModels: string[];
  defaultModel: string;
}

export class ModelSettingsService {
  private cached: Stored | undefined;
  /**
   * The key as last read from the secret store (a promise, so rounds started together share one read). Every sampling
   * round needs it; it is read again after setKey here, or after forget() when another process changed the settings
   * (setKey there writes the key-changed marker into them, which the change feed reports).
   */
  private key: Promise<string | undefined> | undefined;

  constructor(
    private readonly settings: Pick<SettingsRepo, 'get' | 'put'>,
    private readonly secrets: SecretStore,
    /** ANTHROPIC_BASE_URL from the host's environment, when no setting names an address. */
    private readonly envBaseUrl: string | undefined,
    /** Told the new settings after every change, made here or (through forget) in another process. */
    private readonly changed: (settings: ModelSettings) => void = () => undefined,
  ) {}

  /** Another process changed the settings: the next request reads them again, and screens showing them hear of it. */
  forget(): void {
    this.cached = undefined;
    this.key = undefined;
    void this.get().then(this.changed, () => undefined);
  }

  /** The last address judged by the URL gate, with the verdict. */
  private judged: { url: string; verdict: ReturnType<typeof judgeUrl> } | undefined;

  private stored(): Stored {
    if (this.cached) return this.cached;
    this.cached = this.read();
    return this.cached;
  }

  private read(): Stored {
    const value = (this.settings.get(SETTING) ?? {}) as Partial<Stored>;
    const enabled = (value.enabledModels ?? ANTHROPIC_CATALOG.map((m) => m.id)).filter((id) => ANTHROPIC_CATALOG.some((m) => m.id === id));
    return {
      baseUrl: value.baseUrl ?? null,
      enabledModels: enabled.length > 0 ? enabled : [DEFAULT_MODEL],
      defaultModel:
        value.defaultModel && enabled.includes(value.defaultModel)
          ? value.defaultModel
          : (enabled.find((id) => id === DEFAULT_MODEL) ?? enabled[0] ?? DEFAULT_MODEL),
    };
  }

  async get(): Promise<ModelSettings> {
    const s = this.stored();
    return ModelSettingsSchema.parse({
      provider: 'anthropic',
      ...s,
      baseUrl: s.baseUrl === null ? null : shown(s.baseUrl),
      catalog: ANTHROPIC_CATALOG,
      hasKey: (await this.apiKey()) !== undefined,
    });
  }

  /** Asked on every sampling round: the list is made once per settings read. */
  enabled(): readonly ModelInfo[] {
    const stored = this.stored();
    if (this.enabledOf?.stored !== stored) {
      this.enabledOf = { stored, models: ANTHROPIC_CATALOG.filter((m) => stored.enabledModels.includes(m.id)) };
    }
    return this.enabledOf.models;
  }

  /** The enabled models of the settings last read. */
  private enabledOf: { stored: Stored; models: readonly ModelInfo[] } | undefined;

  defaultModel(): string {
    return this.stored().defaultModel;
  }

  /**
   * Where the key is sent: the setting, else ANTHROPIC_BASE_URL, each judged by the URL gate (the environment is not
   * trusted more than the settings screen). A refused address stops the request; its text is never repeated.
   */
  baseUrl(): string | undefined {
    const stored = this.stored().baseUrl;
    const chosen = stored ?? this.envBaseUrl;
    if (!chosen) return undefined;
    // The gate is a pure function of the text, and this runs for every sampling round: judged once per address.
    const verdict = this.judged?.url === chosen ? this.judged.verdict : judgeUrl(chosen, 'model-api');
    this.judged = { url: chosen, verdict };
    if (!verdict.allowed) {
      const where = stored ? 'the API address in Settings' : 'the address in ANTHROPIC_BASE_URL';
      throw new StewardError('invalid_payload', `Steward will not send your key to ${where}: ${verdict.problems.join(' ')}`);
    }
    return verdict.canonical;
  }

  async set(patch: { baseUrl?: string | null | undefined; enabledModels?: string[] | undefined; defaultModel?: string | undefined }): Promise<ModelSettings> {
    const current = this.stored();
    const enabledModels = patch.enabledModels ?? current.enabledModels;
    const unknown = enabledModels.filter((id) => !ANTHROPIC_CATALOG.some((m) => m.id === id));
    if (unknown.length > 0) throw new StewardError('invalid_payload', `Unknown model(s): ${unknown.join(', ')}.`);
    if (enabledModels.length === 0) throw new StewardError('invalid_payload', 'Enable at least one model.');
    const defaultModel =
      patch.defaultModel ?? (enabledModels.includes(current.defaultModel) ? current.defaultModel : (enabledModels[0] ?? current.defaultModel));
    if (!enabledModels.includes(defaultModel)) throw new StewardError('invalid_payload', 'The default model must be one of the enabled models.');
    // Only an address the patch names is judged here: one stored earlier is judged where it is used (baseUrl()).
    let baseUrl = patch.baseUrl === undefined ? current.baseUrl : patch.baseUrl;
    if (patch.baseUrl) {
      const verdict = judgeUrl(patch.baseUrl, 'model-api');
      if (!verdict.allowed) throw new StewardError('invalid_payload', `Steward will not send your key to that API address: ${verdict.problems.join(' ')}`);
      baseUrl = verdict.canonical;
    }
    this.cached = undefined;
    this.settings.put(SETTING, { baseUrl, enabledModels, defaultModel } satisfies Stored);
    const next = await this.get();
    this.changed(next);
    return next;
  }

  async setKey(apiKey: string | null): Promise<void> {
    this.key = undefined;
    try {
      if (apiKey === null) await this.secrets.delete(KEY);
      else await this.secrets.set(KEY, apiKey.trim());
    } finally {
      this.key = undefined;
    }
    // The key lives in the secret store, not the database; this marker is how other processes hear that it changed.
    this.settings.put(`${SETTING}.key-changed`, Date.now());
    this.changed(await this.get());
  }

  async hasKey(): Promise<boolean> {
    return (await this.apiKey()) !== undefined;
  }

  apiKey(): Promise<string | undefined> {
    if (this.key) return this.key;
    const read = this.secrets.get(KEY);
    this.key = read;
    // A failed read (a damaged secrets file) is not kept: the next round tries again and reports it again.
    read.catch(() => {
      if (this.key === read) this.key = undefined;
    });
    return read;
  }
}

/**
 * The stored address as front ends see it. One stored before the URL gate existed, or written by hand, may carry a
 * password: it is shown without it (requests to it are refused by baseUrl() all the same).
 */
function shown(stored: string): string {
  const verdict = judgeUrl(stored, 'model-api');
  return verdict.allowed ? verdict.canonical : verdict.display;
}
