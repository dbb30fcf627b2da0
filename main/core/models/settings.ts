// The user's model settings: which models may be used, the default, the API address, and whether a key is set. The key
// is bound to the origin of the address it was saved for, and is not given out for any other.
import { ModelSettingsSchema, type ModelInfo, type ModelSettings } from '../../../shared/domain/sampling.js';
import { StewardError } from '../../../shared/errors.js';
import type { SecretStore } from '../ports.js';
import { judgeUrl } from '../security/index.js';
import type { SettingsRepo } from '../store/index.js';
import { ANTHROPIC_CATALOG, DEFAULT_MODEL } from './catalog.js';

const KEY = 'models/anthropic/api-key';
const SETTING = 'models.anthropic';
/** The origin the stored key is for (see KeyBinding); in the settings, so every process sees the same binding. */
const KEY_ORIGIN = `${SETTING}.key-origin`;
/** Where the SDK sends requests when no address is set. */
const DEFAULT_BASE_URL = 'https://api.anthropic.com';

/** What a change did: `changed` is false when the patch matched what was stored (nothing was written). */
export interface ModelSettingsChange {
  settings: ModelSettings;
  changed: boolean;
  /**
   * What the address change did to the stored key: `left` — it stays bound to the origin it was saved for and is not
   * used at the new one; `followed` — a key saved before any address was chosen, and never used, now goes to the new one.
   */
  key: { outcome: 'left' | 'followed'; keyFor: string; addressNow: string } | null;
}

/**
 * Which origin the stored key may be sent to. The rule: setKey binds the key to the origin effective at that moment.
 * A key saved while no address was chosen in the settings is `pending` until a request carries it: the first address
 * the user then sets takes the key along (so "key, then the gateway's address" works when setting a gateway up). Once
 * used, or once it followed an address, the key stays with its origin: at any other one it is not given out until the
 * user saves a key again. `origin: null` is a key that applies nowhere (being replaced, or saved for no origin).
 */
interface KeyBinding {
  origin: string | null;
  pending: boolean;
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
  /** The key's binding as last read from the settings; read again whenever the key is. */
  private binding: KeyBinding | undefined;

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
    this.binding = undefined;
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
      hasKey: await this.hasKey(),
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
   * Changes the settings; nothing is written (or reported) when nothing differs. Nothing is deleted: a key bound to
   * another origin than the new address is simply not used there (see KeyBinding for the one key that follows).
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
      return { settings: await this.get(), changed: false, key: null };
    }
    const from = originOf(this.effectiveAddress(current.baseUrl));
    const to = originOf(this.effectiveAddress(baseUrl));
    // Read fresh: another process may have saved or used the key since this one read it.
    this.cached = current;
    this.key = undefined;
    this.binding = undefined;
    const binding = (await this.secrets.get(KEY)) === undefined ? null : this.keyBinding();
    let key: ModelSettingsChange['key'] = null;
    // Said only when the key applied here until now. Only such a key can follow: one bound to another origin (another
    // process's ANTHROPIC_BASE_URL, say) stays where it is.
    if (binding && from !== null && binding.origin === from && to !== from) {
      const follows = binding.pending && to !== null;
      key = { outcome: follows ? 'followed' : 'left', keyFor: from, addressNow: to ?? 'no valid address' };
      if (follows) this.bind({ origin: to, pending: false });
    }
    this.cached = undefined;
    this.settings.put(SETTING, next);
    const settings = await this.get();
    this.changed(settings);
    return { settings, changed: true, key };
  }

  /** Where the key goes with this address setting: it, else ANTHROPIC_BASE_URL, else the provider's own address. */
  private effectiveAddress(stored: string | null): string {
    return stored ?? this.envBaseUrl ?? DEFAULT_BASE_URL;
  }

  /** The origin requests go to now, in this process (its own ANTHROPIC_BASE_URL counts). */
  private effectiveOrigin(): string | null {
    return originOf(this.effectiveAddress(this.stored().baseUrl));
  }

  private bind(binding: KeyBinding): KeyBinding {
    this.settings.put(KEY_ORIGIN, binding);
    this.binding = binding;
    return binding;
  }

  /**
   * The stored key's binding. A key stored before bindings existed was in use at the address effective then: it is
   * bound to the one effective at this first read.
   */
  private keyBinding(): KeyBinding {
    if (this.binding) return this.binding;
    const value = this.settings.get(KEY_ORIGIN);
    if (value === undefined || value === null) return this.bind({ origin: this.effectiveOrigin(), pending: false });
    // Anything but what bind() writes (a hand edit) binds the key to no origin.
    const { origin, pending } = typeof value === 'object' ? (value as Partial<Record<keyof KeyBinding, unknown>>) : {};
    this.binding = { origin: typeof origin === 'string' ? origin : null, pending: pending === true };
    return this.binding;
  }

  /** Saves the key for the address effective now (see KeyBinding), or removes it. */
  async setKey(apiKey: string | null): Promise<void> {
    this.key = undefined;
    // Bound to no origin while the secret changes: should the write fail, the old key is not sent to the new address.
    this.bind({ origin: null, pending: false });
    try {
      if (apiKey === null) await this.secrets.delete(KEY);
      else await this.secrets.set(KEY, apiKey.trim());
    } finally {
      this.key = undefined;
    }
    this.cached = undefined;
    if (apiKey !== null) this.bind({ origin: this.effectiveOrigin(), pending: this.stored().baseUrl === null });
    // The key lives in the secret store, not the database; this marker is how other processes hear that it changed.
    this.settings.put(`${SETTING}.key-changed`, Date.now());
    this.changed(await this.get());
  }

  /** Whether a key would be sent to the address effective now: false for a key saved for another origin. */
  async hasKey(): Promise<boolean> {
    return (await this.keyHere()) !== undefined;
  }

  /**
   * The key for a request about to be sent to baseUrl(); undefined when none is stored or the stored one was saved for
   * another origin. Handing it out marks a pending key used: it no longer follows a new address.
   */
  async apiKey(): Promise<string | undefined> {
    const key = await this.keyHere();
    if (key !== undefined && this.binding?.pending) this.bind({ origin: this.binding.origin, pending: false });
    return key;
  }

  /** The stored key when it is bound to the origin effective now. */
  private async keyHere(): Promise<string | undefined> {
    const key = await this.storedKey();
    if (key === undefined) return undefined;
    const here = this.effectiveOrigin();
    return here !== null && this.keyBinding().origin === here ? key : undefined;
  }

  private storedKey(): Promise<string | undefined> {
    if (this.key) return this.key;
    // The binding is read again with the key, so the two never come from different moments.
    this.binding = undefined;
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

/** The origin an address sends to; null for one that does not parse or has an opaque origin ("null"), which no key is for. */
function originOf(address: string): string | null {
  const parsed = URL.parse(address)?.origin;
  return parsed && parsed !== 'null' ? parsed : null;
}
