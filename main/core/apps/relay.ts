// A view's request to its own server, checked per method before it leaves: only the methods views may use, params of
// the right shape and size, tools/call only for this server's tools that are open to views.
import { ListPromptsResultSchema, ListResourcesResultSchema, ListResourceTemplatesResultSchema, ReadResourceResultSchema } from '@modelcontextprotocol/core';
import { z } from 'zod';
import { StewardError } from '../../../shared/errors.js';
import type { McpSession } from '../sessions/index.js';
import { viewCallRefusal } from './visibility.js';

const Cursor = z.object({ cursor: z.string().max(4096).optional() }).loose();
const CallParams = z
  .object({
    name: z.string().min(1).max(512),
    arguments: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();
const ReadParams = z.object({ uri: z.string().min(1).max(8192) }).loose();

export type Relayed = 'tools/call' | 'resources/read' | 'resources/list' | 'resources/templates/list' | 'prompts/list' | 'ping';

/** A refusal a view's request earns: said in words, never sent to the server. */
export class ViewRefusal extends StewardError {}

function parse<T>(schema: z.ZodType<T>, params: unknown, method: string): T {
  const parsed = schema.safeParse(params ?? {});
  if (!parsed.success) throw new ViewRefusal('invalid_payload', `The ${method} params are malformed: ${parsed.error.issues[0]?.message ?? 'invalid'}.`);
  return parsed.data;
}

export interface RelayTarget {
  session: McpSession;
  timeoutMs: number;
  signal: AbortSignal;
}

/** What the request is about, for the log line ("tools/call poll-system-stats"). */
export function describe(method: string, params: unknown): string {
  const p = params && typeof params === 'object' ? (params as Record<string, unknown>) : {};
  if (method === 'tools/call' && typeof p.name === 'string') return `${method} ${p.name.slice(0, 100)}`;
  if (method === 'resources/read' && typeof p.uri === 'string') return `${method} ${p.uri.slice(0, 200)}`;
  return method;
}

export async function relay(method: Relayed, params: unknown, target: RelayTarget): Promise<Record<string, unknown>> {
  const { session, timeoutMs, signal } = target;
  const options = { signal, timeoutMs };
  switch (method) {
    case 'ping':
      return {};
    case 'tools/call': {
      const { name, arguments: args } = parse(CallParams, params, method);
      const refusal = viewCallRefusal(name, await session.listTools());
      if (refusal) throw new ViewRefusal('not_allowed', refusal);
      const result = await session.callTool(name, args ?? {}, options);
      return { ...result };
    }
    case 'resources/read': {
      const { uri } = parse(ReadParams, params, method);
      return session.request('Reading a resource for a view', method, { uri }, ReadResourceResultSchema, options);
    }
    case 'resources/list':
      return session.request('Listing resources for a view', method, cursorOf(parse(Cursor, params, method)), ListResourcesResultSchema, options);
    case 'resources/templates/list':
      return session.request(
        'Listing resource templates for a view',
        method,
        cursorOf(parse(Cursor, params, method)),
        ListResourceTemplatesResultSchema,
        options,
      );
    case 'prompts/list':
      return session.request('Listing prompts for a view', method, cursorOf(parse(Cursor, params, method)), ListPromptsResultSchema, options);
  }
}

function cursorOf(params: { cursor?: string | undefined }): Record<string, unknown> {
  return params.cursor === undefined ? {} : { cursor: params.cursor };
}
