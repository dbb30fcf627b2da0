// One line of a server's stdout read as a JSON-RPC message, with exactly the SDK's verdict. The SDK's message schema is
// a union tried in order (request, notification, result, error), so every response first fails two schemas and builds
// their errors; a plain result is what a busy connection carries most (each poll's answer, each call's result).
import { parseJSONRPCMessage, type JSONRPCMessage, type JSONRPCResultResponse } from '@modelcontextprotocol/client';

type Loose = Record<string, unknown>;

const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A result response the SDK's schema would take unchanged: exactly `jsonrpc`, `id` and `result`, an id that is a string
 * or a safe integer, and a result object with no `_meta` (whose members the schema checks) and no own `__proto__` (which
 * the schema's copy would turn into a prototype). Anything else, valid or not, is left to the schema.
 */
function plainResult(value: unknown): value is JSONRPCResultResponse {
  if (!isObject(value) || value.jsonrpc !== '2.0' || ownKeys(value) !== 3) return false;
  const { id, result } = value;
  if (typeof id !== 'string' && !Number.isSafeInteger(id)) return false;
  return isObject(result) && !Object.hasOwn(result, '_meta') && !Object.hasOwn(result, '__proto__');
}

/** How many own enumerable keys an object has (Object.keys(value).length, without the array for every message read). */
function ownKeys(value: Loose): number {
  let count = 0;
  for (const key in value) if (Object.hasOwn(value, key)) count++;
  return count;
}

/** Parses a line; throws as the SDK's deserializeMessage does (a SyntaxError for bad JSON, the schema's error otherwise). */
export function readMessage(line: string): JSONRPCMessage {
  const value: unknown = JSON.parse(line);
  return plainResult(value) ? value : parseJSONRPCMessage(value);
}
