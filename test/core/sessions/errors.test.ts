// What the SDK throws while the era is negotiated, as Steward names it: a refusal is about the era, a server that
// stopped during the probe is a server that exited (so the failure reading shows its exit and last lines), and one that
// could not be reached is a failed connection.
import { SdkError, SdkErrorCode } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { toStewardError } from '../../../main/core/sessions/errors.js';

describe('era negotiation failures', () => {
  it.each([
    ['Version negotiation failed: the connection closed during the server/discover probe', 'server_exited'],
    ['Version negotiation probe failed: fetch failed', 'connect_failed'],
    ['Version negotiation failed: the server does not support 2026-07-28', 'unsupported_protocol_version'],
  ])('%s → %s', (message, code) => {
    expect(toStewardError(new SdkError(SdkErrorCode.EraNegotiationFailed, message), 'Connecting')).toMatchObject({ code });
  });
});
