// The size check a view's request passes before it goes to the host. Hostile input tried: 7 MB of ASCII, 3 million
// three-byte characters (under the cap counted in characters, 9 MB as the socket carries them), a cycle (not JSON).
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '@modelcontextprotocol/client';
import { oversizedRequest } from '../../../../renderer/src/components/apps/request-size.js';
import { VIEW_REQUEST_MAX_BYTES } from '../../../../shared/domain/apps.js';

describe('oversizedRequest', () => {
  it('passes what the host takes, up to the cap counted in UTF-8 bytes', () => {
    expect(oversizedRequest({ method: 'tools/call', params: { name: 'save', arguments: { pdf: 'x'.repeat(1024 * 1024) } } })).toBeUndefined();
    expect(oversizedRequest('a'.repeat(VIEW_REQUEST_MAX_BYTES - 2))).toBeUndefined();
    expect(oversizedRequest(undefined)).toBeUndefined();
  });

  it('refuses more as invalid params, saying how large it was', () => {
    const refusal = oversizedRequest({ method: 'tools/call', params: { name: 'save', arguments: { pdf: 'x'.repeat(7 * 1024 * 1024) } } });
    expect(refusal).toBeInstanceOf(ProtocolError);
    expect(refusal?.code).toBe(-32602);
    expect(refusal?.message).toMatch(/^The request is 7 MB, more than the 6 MB Steward passes on in one; it was not sent\.$/);
    expect(oversizedRequest('a'.repeat(VIEW_REQUEST_MAX_BYTES - 1))?.code).toBe(-32602);
    // Fewer characters than the cap, three times as many bytes.
    expect(oversizedRequest({ text: '語'.repeat(3 * 1024 * 1024) })?.message).toMatch(/^The request is 9 MB/);
  });

  it('leaves what is not JSON to the host', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(oversizedRequest(cycle)).toBeUndefined();
  });
});
