// The user's model settings: which models may be used, the default, the API address, and whether a key is set. The key
// is bound to the origin of the address it was entered for.
import { ModelSettingsSchema, type ModelInfo, type ModelSettings } from '../../../shared/domain/sampling.js';
import { StewardError } from '../../../shared/errors.js';
import type { SecretStore } from '../ports.js';
import { judgeUrl } from '../security/index.js';
import type { SettingsRepo } from '../store/index.js';
import { ANTHROPIC_CATALOG, DEFAULT_MODEL } from './catalog.js';

const KEY = 'models/anthropic/api-key';
const SETTING = 'models.anthropic';
/** Where the SDK sends requests when no address is set. */
const DEFAULT_BASE_URL = 'https://api.anthropic.com';

/** What a change did: `changed` is false when the patch matched what was stored (nothing was written). */
export interface ModelSettingsChange {
  settings: ModelSettings;
  changed: boolean;
  /** The key was deleted because the address moved to another origin (both shown without any password). */
  keyRemoved: { from: string; to: string } | null;
}

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

  /**
   * Changes the settings; nothing is written (or reported) when nothing differs. The key belongs to the origin it was
   * entered for: an address on another origin deletes it, so it is never sent to the new one (the user enters it again).
   */
  async set(patch: {
    baseUrl?: string | null | undefined;
    enabledModels?: string[] | undefined;
    defaultModel?: string | undefined;
  }): Promise<ModelSettingsChange> {
    // What is stored now, not what this process read earlier: another process may have changed it since.
    const current = this.read();
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
    const next: Stored = { baseUrl, enabledModels, defaultModel };
    if (JSON.stringify(next) === JSON.stringify(current)) {
      this.cached = current;
      return { settings: await this.get(), changed: false, keyRemoved: null };
    }
    const from = this.effectiveAddress(current.baseUrl);
    const to = this.effectiveAddress(baseUrl);
    // Deleted before the new address is stored: should either step fail, the key has still gone nowhere new.
    const keyRemoved = !sameOrigin(from, to) && (await this.secrets.get(KEY)) !== undefined ? { from: shown(from), to: shown(to) } : null;
    if (keyRemoved) {
      this.key = undefined;
      try {
        await this.secrets.delete(KEY);
      } finally {
        this.key = undefined;
      }
    }
    this.cached = undefined;
    this.settings.put(SETTING, next);
    const settings = await this.get();
    this.changed(settings);
    return { settings, changed: true, keyRemoved };
  }

  /** Where the key goes with this address setting: it, else ANTHROPIC_BASE_URL, else the provider's own address. */
  private effectiveAddress(stored: string | null): string {
    return stored ?? this.envBaseUrl ?? DEFAULT_BASE_URL;
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

/** Whether two addresses send to the same origin; one that does not parse matches only itself. */
function sameOrigin(a: string, b: string): boolean {
  if (a === b) return true;
  // An opaque origin ("null", as of a javascript: address) is no origin.
  const origin = (address: string) => {
    const parsed = URL.parse(address)?.origin;
    return parsed && parsed !== 'null' ? parsed : null;
  };
  return origin(a) !== null && origin(a) === origin(b);
}
