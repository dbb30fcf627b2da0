// The Anthropic provider: calls the Messages API through @anthropic-ai/sdk with the user's key, streaming.
import Anthropic from '@anthropic-ai/sdk';
import type { SamplingReply } from '../../../shared/domain/sampling.js';
import { StewardError } from '../../../shared/errors.js';
import { fromMessage, toMessagesParams, type MappedRequest } from './anthropic-mapping.js';

export interface ProviderCall {
  request: MappedRequest;
  signal?: AbortSignal | undefined;
  /** Text as it streams in, for a live transcript. */
  onText?: ((delta: string) => void) | undefined;
}

export interface ModelProvider {
  complete(call: ProviderCall): Promise<SamplingReply>;
}

export interface AnthropicOptions {
  apiKey: () => Promise<string | undefined>;
  baseUrl: () => string | undefined;
}

export function createAnthropicProvider(options: AnthropicOptions): ModelProvider {
  let cached: { key: string; baseUrl: string | undefined; client: Anthropic } | undefined;
  const clientFor = (key: string, baseUrl: string | undefined) => {
    if (!cached || cached.key !== key || cached.baseUrl !== baseUrl) {
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
    async complete({ request, signal, onText }) {
      const key = await options.apiKey();
      if (!key) throw new StewardError('not_supported', 'No model key is set. Add one in Settings, or write the reply by hand.');
      const client = clientFor(key, options.baseUrl());
      const stream = client.messages.stream(toMessagesParams(request), signal ? { signal } : {});
      if (onText) stream.on('text', (delta) => onText(delta));
      try {
        const message = await stream.finalMessage();
        return fromMessage(message, request.tools.length > 0);
      } catch (error) {
        throw toProviderError(error, signal);
      }
    },
  };
}

function toProviderError(error: unknown, signal: AbortSignal | undefined): StewardError {
  if (signal?.aborted) return new StewardError('cancelled', 'The model request was cancelled.');
  if (error instanceof Anthropic.AuthenticationError)
    return new StewardError('connect_failed', 'The model provider refused the key (401). Check it in Settings.');
  if (error instanceof Anthropic.APIError) {
    return new StewardError('protocol_error', `The model provider answered ${error.status ?? 'an error'}: ${error.message}`);
  }
  return new StewardError('connect_failed', `The model provider could not be reached: ${(error as Error).message}`);
}
