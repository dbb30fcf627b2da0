// A server's line read as a JSON-RPC message gives exactly what the SDK's own reader gives, for good lines and hostile
// ones alike: the same message, or a throw of the same kind.
import { deserializeMessage } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { readMessage } from '../../../main/core/servers/json-rpc-line.js';

const outcome = (read: (line: string) => unknown, line: string): { ok: unknown } | { threw: string } => {
  try {
    return { ok: read(line) };
  } catch (error) {
    return { threw: error instanceof SyntaxError ? 'SyntaxError' : error instanceof Error ? error.name : typeof error };
  }
};

// Hostile: ids that are not whole safe numbers, null and booleans; extra and missing members; a result that is not an
// object; _meta of the wrong shape; __proto__ at either level; not JSON at all; and the other kinds of message.
const LINES = [
  '{"jsonrpc":"2.0","id":7,"result":{"taskId":"t1","status":"working","pollInterval":1000}}',
  '{"jsonrpc":"2.0","id":"abc","result":{"content":[{"type":"text","text":"hi"}]}}',
  '{"jsonrpc":"2.0","id":"","result":{}}',
  '{"jsonrpc":"2.0","id":-3,"result":{}}',
  '{"result":{"a":1},"id":0,"jsonrpc":"2.0"}',
  '{"jsonrpc":"2.0","id":1.5,"result":{}}',
  '{"jsonrpc":"2.0","id":9007199254740992,"result":{}}',
  '{"jsonrpc":"2.0","id":null,"result":{}}',
  '{"jsonrpc":"2.0","id":true,"result":{}}',
  '{"jsonrpc":"2.0","result":{}}',
  '{"jsonrpc":"1.0","id":1,"result":{}}',
  '{"id":1,"result":{},"extra":1}',
  '{"jsonrpc":"2.0","id":1,"result":{},"extra":1}',
  '{"jsonrpc":"2.0","id":1,"result":null}',
  '{"jsonrpc":"2.0","id":1,"result":[1,2]}',
  '{"jsonrpc":"2.0","id":1,"result":"done"}',
  '{"jsonrpc":"2.0","id":1,"result":{"_meta":{"progressToken":1}}}',
  '{"jsonrpc":"2.0","id":1,"result":{"_meta":5}}',
  '{"jsonrpc":"2.0","id":1,"result":{"_meta":{"io.modelcontextprotocol/serverInfo":{"name":"s","version":"1"}}}}',
  '{"jsonrpc":"2.0","id":1,"result":{"__proto__":{"polluted":true},"x":1}}',
  '{"jsonrpc":"2.0","id":1,"__proto__":{"result":{}}}',
  '{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"no such task"}}',
  '{"jsonrpc":"2.0","id":1,"method":"sampling/createMessage","params":{"messages":[]}}',
  '{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":1,"progress":1}}',
  '[{"jsonrpc":"2.0","id":1,"result":{}}]',
  '"just a string"',
  'null',
  '{"jsonrpc":"2.0","id":1,"result":{}',
  'not json',
];

describe('readMessage', () => {
  it.each(LINES)('reads %s as the SDK does', (line) => {
    expect(outcome(readMessage, line)).toEqual(outcome(deserializeMessage, line));
  });

  it('keeps no prototype a server sends inside a result', () => {
    const message = readMessage('{"jsonrpc":"2.0","id":1,"result":{"__proto__":{"polluted":true}}}') as { result: Record<string, unknown> };
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(message.result)).not.toHaveProperty('polluted');
  });
});
