// A model call is stopped by the caller (a server withdrew its request, the user cancelled): the request to the model
// API really ends, whether it is streaming, and a call stopped before it left never leaves.
import { afterEach, describe, expect, it } from 'vitest';
import { CallControl, createAnthropicProvider } from '../../../main/core/models/index.js';
import type { MappedRequest } from '../../../main/core/models/anthropic-mapping.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../fixtures/fake-anthropic.mjs';

let api: FakeAnthropic | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const request: MappedRequest = {
  model: 'claude-sonnet-4-5',
  systemPrompt: null,
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Count slowly.' }] }],
  tools: [],
  toolChoice: 'auto',
  maxTokens: 50,
  stopSequences: [],
  parameters: { userId: null },
};

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('stopping a model call', () => {
  it('ends the streaming request and says the call was cancelled', async () => {
    // Each streamed event waits 300 ms: the reply is still coming when the call is stopped.
    api = await startFakeAnthropic({ latencyMs: 300, replies: [{ text: 'one two three four five' }] });
    const fake = api;
    const provider = createAnthropicProvider({ apiKey: () => Promise.resolve(fake.apiKey), baseUrl: () => fake.url });
    const control = new CallControl();
    const reply = provider.complete({ prepared: provider.prepare(request), control });
    await until('the request to reach the model API', () => fake.requests.length === 1);
    control.stop();
    await expect(reply).rejects.toMatchObject({ code: 'cancelled' });
    await until('the model API to see the stream cut', () => fake.cut.streams === 1);
  });

  it('never sends a call stopped before it left', async () => {
    api = await startFakeAnthropic();
    const fake = api;
    const provider = createAnthropicProvider({ apiKey: () => Promise.resolve(fake.apiKey), baseUrl: () => fake.url });
    const control = new CallControl();
    const reply = provider.complete({ prepared: provider.prepare(request), control });
    control.stop();
    await expect(reply).rejects.toMatchObject({ code: 'cancelled' });
    // A second call, not stopped, goes through: the first one would have been seen before it.
    await provider.complete({ prepared: provider.prepare(request) });
    expect(fake.requests).toHaveLength(1);
  });
});
