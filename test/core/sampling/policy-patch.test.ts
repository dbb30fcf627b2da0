// Changing a sampling policy through the contract changes only the fields named: one test per field, each starting from
// a policy where every field differs from its default (so a reset would show). Hostile patches are refused whole.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SamplingPolicy } from '../../../shared/domain/sampling.js';
import { makeHost, type TestHost } from '../../helpers/host.js';

let t: TestHost;
let serverId: string;
beforeEach(async () => {
  t = await makeHost();
  serverId = (await t.host.servers.add({ name: 'sampler', config: { transport: 'http', url: 'http://127.0.0.1:9/mcp', headers: {} } })).id;
});
afterEach(async () => {
  await t.close();
});

/** Every field away from its default. */
const START: SamplingPolicy = {
  mode: 'deny',
  reviewReplies: true,
  allowTools: false,
  budgets: { maxTokensPerRequest: 111, tokensPerDay: 2222, requestsPerMinute: 33, roundsPerLoop: 44 },
};

async function setPolicy(policy: unknown) {
  return t.host.dispatch('sampling:setPolicy', { serverId, policy });
}

const FIELDS: Array<{ name: string; patch: Record<string, unknown>; expected: SamplingPolicy }> = [
  { name: 'mode', patch: { mode: 'allow' }, expected: { ...START, mode: 'allow' } },
  { name: 'reviewReplies', patch: { reviewReplies: false }, expected: { ...START, reviewReplies: false } },
  { name: 'allowTools', patch: { allowTools: true }, expected: { ...START, allowTools: true } },
  ...(['maxTokensPerRequest', 'tokensPerDay', 'requestsPerMinute', 'roundsPerLoop'] as const).map((key) => ({
    name: `budgets.${key}`,
    patch: { budgets: { [key]: 7 } },
    expected: { ...START, budgets: { ...START.budgets, [key]: 7 } },
  })),
];

describe('sampling:setPolicy changes only the fields named', () => {
  it.each(FIELDS)('$name', async ({ patch, expected }) => {
    expect(await setPolicy(START)).toMatchObject({ ok: true, data: START });
    expect(await setPolicy(patch)).toEqual({ ok: true, data: expected });
    expect(await t.host.dispatch('sampling:getPolicy', { serverId })).toEqual({ ok: true, data: expected });
    // The audit says which fields the change named.
    const [entry] = t.host.audit.list({ kind: 'sampling.policy', limit: 1 });
    expect(entry!.data.changed).toEqual(Object.keys(patch));
  });

  it('an empty patch changes nothing', async () => {
    await setPolicy(START);
    expect(await setPolicy({})).toEqual({ ok: true, data: START });
    expect(await setPolicy({ budgets: {} })).toEqual({ ok: true, data: START });
  });

  it('refuses hostile patches whole, leaving the policy as it was', async () => {
    await setPolicy(START);
    const hostile: unknown[] = [
      { mode: 'sometimes' },
      { mode: null },
      { reviewReplies: 'yes' },
      { budgets: { maxTokensPerRequest: 0 } },
      { budgets: { tokensPerDay: -5 } },
      { budgets: { requestsPerMinute: 1.5 } },
      { budgets: { roundsPerLoop: 1e9 } },
      { budgets: 'all' },
      { mode: 'allow', budgets: { roundsPerLoop: 'many' } },
    ];
    for (const patch of hostile) expect(await setPolicy(patch)).toMatchObject({ ok: false, code: 'invalid_payload' });
    // A field the contract does not know is dropped, not stored.
    expect(await setPolicy({ mode: 'ask', secretMode: 'god' })).toEqual({ ok: true, data: { ...START, mode: 'ask' } });
    expect(await t.host.dispatch('sampling:getPolicy', { serverId })).toEqual({ ok: true, data: { ...START, mode: 'ask' } });
    expect(await t.host.dispatch('sampling:setPolicy', { serverId: 'no-such-server', policy: { mode: 'allow' } })).toMatchObject({
      ok: false,
      code: 'not_found',
    });
  });

  it('a change another process stored is what the next patch builds on', async () => {
    await setPolicy(START);
    // Another Steward (the CLI) changes the stored policy; this one's cache is stale until told.
    t.host.store.sampling.setPolicy(serverId, { ...START, reviewReplies: false });
    expect(await setPolicy({ mode: 'allow' })).toEqual({ ok: true, data: { ...START, reviewReplies: false, mode: 'allow' } });
  });
});
