// The Anthropic provider: calls the Messages API through @anthropic-ai/sdk with the user's key, streaming. The request
// body is built first (prepare), so what is recorded as sent is exactly what goes out; the key is never part of it.
// The SDK is loaded on the first model call: most processes (every CLI command) never make one.
import type Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsBase } from '@anthropic-ai/sdk/resources/messages';
import type { SamplingReply } from '../../../shared/domain/sampling.js';
import { StewardError } from '../../../shared/errors.js';
import { fromMessage, toMessagesParams, type MappedRequest } from './anthropic-mapping.js';

/** A request ready to go: the provider's own body (JSON, no key), and whether the server offered tools. */
export interface PreparedCall {
  body: MessageCreateParamsBase;
  hadTools: boolean;
}

/**
 * How the caller stops a model call under way. The provider ends its own request when told, so no AbortSignal is handed
 * to the SDK: linking one into its request costs more than the rest of Steward's work on a round.
 */
export class CallControl {
  private done: (() => void) | undefined;
  private wasStopped = false;

  get stopped(): boolean {
    return this.wasStopped;
  }

  stop(): void {
    if (this.wasStopped) return;
    this.wasStopped = true;
    this.done?.();
  }

  /** The provider's way to end its request; runs at once when the call was stopped before the request existed. */
  onStop(end: () => void): void {
    this.done = end;
    if (this.wasStopped) end();
  }
}

export interface ProviderCall {
  prepared: PreparedCall;
  control?: CallControl | undefined;
  /** Text as it streams in, for a live transcript. */
  onText?: ((delta: string) => void) | undefined;
}

export interface ModelProvider {
  /** The body this provider would send for the request; pure, may throw a StewardError for content it cannot carry. */
  prepare(request: MappedRequest): PreparedCall;
  complete(call: ProviderCall): Promise<SamplingReply>;
}

export interface AnthropicOptions {
  apiKey: () => Promise<string | undefined>;
  baseUrl: () => string | undefined;
}

type Sdk = typeof Anthropic;
let sdk: Promise<Sdk> | undefined;
const loadSdk = (): Promise<Sdk> => (sdk ??= import('@anthropic-ai/sdk').then((m) => m.default));

export function createAnthropicProvider(options: AnthropicOptions): ModelProvider {
  let cached: { key: string; baseUrl: string | undefined; client: Anthropic } | undefined;
  const clientFor = (Anthropic: Sdk, key: string, baseUrl: string | undefined) => {
    if (cached?.key !== key || cached.baseUrl !== baseUrl) {
      // Key and address are always given explicitly, so the SDK never reads environment variables or profiles.
      cached = {
        key,
        baseUrl,
        client: new Anthropic({
          apiKey: key,
          ...(baseUrl ? { baseURL: baseUrl } : { baseURL: 'https://api.anthropic.com' }),
          maxRetries: 1,
          timeout: 10 * 60_000,
        }),
      };
    }
    return cached.client;
  };

  return {
    prepare: (request) => ({ body: toMessagesParams(request), hadTools: request.tools.length > 0 }),
    async complete({ prepared, control, onText }) {
      const key = await options.apiKey();
      if (!key) throw new StewardError('not_supported', 'No model key is set. Add one in Settings, or write the reply by hand.');
      const Anthropic = await loadSdk();
      if (control?.stopped) throw cancelled();
      const client = clientFor(Anthropic, key, options.baseUrl());
      const stream = client.messages.stream(prepared.body);
      control?.onStop(() => stream.abort());
      if (onText) stream.on('text', (delta) => onText(delta));
      try {
        const message = await stream.finalMessage();
        return fromMessage(message, prepared.hadTools);
      } catch (error) {
        throw control?.stopped ? cancelled() : toProviderError(Anthropic, error);
      }
    },
  };
}

const cancelled = () => new StewardError('cancelled', 'The model request was cancelled.');

function toProviderError(Anthropic: Sdk, error: unknown): StewardError {
  if (error instanceof Anthropic.AuthenticationError)
    return new StewardError('connect_failed', 'The model provider refused the key (401). Check it in Settings.');
  if (error instanceof Anthropic.APIError) {
    return new StewardError('protocol_error', `The model provider answered ${error.status ?? 'an error'}: ${error.message}`);
  }
  return new StewardError('connect_failed', `The model provider could not be reached: ${(error as Error).message}`);
}
