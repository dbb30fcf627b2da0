// A host wired to the fake Messages API, and a helper to drive the sampling fixture server.
import { join } from 'node:path';
import { startFakeAnthropic, type FakeAnthropic } from '../fixtures/fake-anthropic.mjs';
import type { HostOptions } from '../../main/core/host.js';
import { addApproved, makeHost, type TestHost } from './host.js';
import { FIXTURES, NODE } from './paths.js';

export interface SamplingRig {
  t: TestHost;
  api: FakeAnthropic;
  close(): Promise<void>;
}

export async function samplingRig(options: { key?: boolean } & Partial<HostOptions> = {}): Promise<SamplingRig> {
  const { key = true, ...overrides } = options;
  const api = await startFakeAnthropic();
  const t = await makeHost(overrides);
  await t.host.models.set({ baseUrl: api.url });
  if (key) await t.host.models.setKey(api.apiKey);
  return {
    t,
    api,
    close: async () => {
      await t.close();
      await api.close();
    },
  };
}

/** Starts the raw sampling fixture, approved, and returns a function that makes it send one request. */
export async function samplingServer(rig: SamplingRig, name = 'sampler') {
  const { view, approve } = await addApproved(rig.t.host, name, NODE, [join(FIXTURES, 'sampling-server.mjs')]);
  await approve();
  const call = async (tool: 'sample' | 'sequence' | 'flood' | 'capabilities' | 'wire_log' | 'cancel_pending', args: Record<string, unknown> = {}) => {
    const result = await rig.t.host.tools.call({ serverId: view.id, name: tool, arguments: args });
    return JSON.parse(String(result.content[0]?.text)) as unknown;
  };
  return { id: view.id, call };
}

export const textRequest = (text: string, extra: Record<string, unknown> = {}) => ({
  messages: [{ role: 'user', content: { type: 'text', text } }],
  maxTokens: 200,
  ...extra,
});

/** Resolves with the first inbox item of a kind, once it is there. */
export async function nextItem(rig: SamplingRig, kind: string) {
  for (let i = 0; i < 400; i++) {
    const item = rig.t.host.inbox.list().find((x) => x.kind === kind);
    if (item) return item;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no ${kind} item arrived`);
}
