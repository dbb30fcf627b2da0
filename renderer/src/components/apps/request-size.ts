// The size check a view's request passes before it goes to the host: one larger than the host takes is refused here, to
// the view alone, rather than sent on to fail (or, in browser mode, to cost the page its socket and every call on it).
import { ProtocolError } from '@modelcontextprotocol/client';
import { VIEW_REQUEST_MAX_BYTES } from '../../../../shared/domain/apps.js';
import { megabytes } from '../../../../shared/bridge.js';
import { bytesOver } from '../../lib/payload-size.js';

const INVALID_PARAMS = -32602;

/** The JSON-RPC error for what a view sends when it is larger than the host takes in one request; else undefined. */
export function oversizedRequest(payload: unknown): ProtocolError | undefined {
  let text: unknown;
  try {
    text = JSON.stringify(payload);
  } catch {
    // Not JSON at all (it came over postMessage, so it could be anything): the host's own checks refuse it.
    return undefined;
  }
  // undefined (nothing to send) stringifies to nothing.
  const bytes = typeof text === 'string' ? bytesOver(text, VIEW_REQUEST_MAX_BYTES) : undefined;
  if (bytes === undefined) return undefined;
  return new ProtocolError(
    INVALID_PARAMS,
    `The request is ${megabytes(bytes)}, more than the ${megabytes(VIEW_REQUEST_MAX_BYTES)} Steward passes on in one; it was not sent.`,
  );
}
