// A connected server's prompts, resources, completions and log level: one page at a time, each call only when the
// server declared the capability for it.
import { ListPromptsResultSchema, ListResourcesResultSchema, ListResourceTemplatesResultSchema } from '@modelcontextprotocol/core';
import type { Completion, CompletionRef, PromptResult, PromptView, ResourceContent, ResourceTemplateView, ResourceView } from '../../../shared/domain/mcp.js';
import type { LogLevel, ServerFeatures } from '../../../shared/domain/workbench.js';
import { StewardError } from '../../../shared/errors.js';
import type { McpSession } from './session.js';

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** What the server declared at the handshake, in the words the UI and CLI use. */
export function featuresOf(session: McpSession): ServerFeatures {
  const caps = session.serverCapabilities as {
    tools?: { listChanged?: boolean };
    prompts?: { listChanged?: boolean };
    resources?: { subscribe?: boolean; listChanged?: boolean };
    completions?: object;
    logging?: object;
  };
  return {
    tools: caps.tools !== undefined,
    prompts: caps.prompts !== undefined,
    resources: caps.resources !== undefined,
    subscribe: caps.resources?.subscribe === true,
    completions: caps.completions !== undefined,
    logging: caps.logging !== undefined,
    listChanged: {
      tools: caps.tools?.listChanged === true,
      prompts: caps.prompts?.listChanged === true,
      resources: caps.resources?.listChanged === true,
    },
  };
}

function need(session: McpSession, feature: 'prompts' | 'resources' | 'subscribe' | 'completions' | 'logging', what: string): void {
  if (!featuresOf(session)[feature]) throw new StewardError('not_supported', `The server does not offer ${what}.`);
}

// The SDK's list calls walk every page when given no cursor; the workbench pages itself, one request per page.
const page = (cursor: string | undefined) => (cursor === undefined ? {} : { cursor });
const optional = (key: string, value: string | undefined): Record<string, string> => (value ? { [key]: value } : {});

export async function listPrompts(session: McpSession, cursor?: string): Promise<Page<PromptView>> {
  if (!featuresOf(session).prompts) return { items: [] };
  const result = await session.request('Listing prompts', 'prompts/list', page(cursor), ListPromptsResultSchema);
  return {
    items: result.prompts.map((p) => ({
      name: p.name,
      ...optional('title', p.title),
      ...optional('description', p.description),
      arguments: (p.arguments ?? []).map((a) => ({
        name: a.name,
        ...optional('description', a.description),
        ...(a.required !== undefined ? { required: a.required } : {}),
      })),
    })),
    ...optional('nextCursor', result.nextCursor),
  };
}

export async function listResources(session: McpSession, cursor?: string): Promise<Page<ResourceView>> {
  if (!featuresOf(session).resources) return { items: [] };
  const result = await session.request('Listing resources', 'resources/list', page(cursor), ListResourcesResultSchema);
  return {
    items: result.resources.map((r) => ({
      uri: r.uri,
      name: r.name,
      ...optional('title', r.title),
      ...optional('description', r.description),
      ...optional('mimeType', r.mimeType),
    })),
    ...optional('nextCursor', result.nextCursor),
  };
}

export async function listResourceTemplates(session: McpSession, cursor?: string): Promise<Page<ResourceTemplateView>> {
  if (!featuresOf(session).resources) return { items: [] };
  const result = await session.request('Listing resource templates', 'resources/templates/list', page(cursor), ListResourceTemplatesResultSchema);
  return {
    items: result.resourceTemplates.map((r) => ({
      uriTemplate: r.uriTemplate,
      name: r.name,
      ...optional('title', r.title),
      ...optional('description', r.description),
      ...optional('mimeType', r.mimeType),
    })),
    ...optional('nextCursor', result.nextCursor),
  };
}

export async function getPrompt(session: McpSession, name: string, args: Record<string, string>): Promise<PromptResult> {
  need(session, 'prompts', 'prompts');
  const result = await session.use(`Getting prompt "${name}"`, (c) => c.getPrompt({ name, arguments: args }));
  return {
    ...optional('description', result.description),
    messages: result.messages.map((m) => ({ role: m.role, content: m.content })),
  };
}

export async function readResource(session: McpSession, uri: string): Promise<ResourceContent[]> {
  need(session, 'resources', 'resources');
  const result = await session.use('Reading the resource', (c) => c.readResource({ uri }, { cacheMode: 'bypass' }));
  return result.contents.map((part) => ({
    uri: part.uri,
    ...optional('mimeType', part.mimeType),
    ...('text' in part && typeof part.text === 'string' ? { text: part.text } : {}),
    ...('blob' in part && typeof part.blob === 'string' ? { blob: part.blob } : {}),
  }));
}

export async function subscribe(session: McpSession, uri: string): Promise<void> {
  need(session, 'subscribe', 'subscriptions to resources');
  await session.subscribe(uri);
}

/** Completion values are capped by the protocol at 100; the rest is the server's `total`/`hasMore`. */
export async function complete(
  session: McpSession,
  ref: CompletionRef,
  argument: { name: string; value: string },
  context: Record<string, string> = {},
): Promise<Completion> {
  need(session, 'completions', 'argument completion');
  const result = await session.use('Completing the argument', (c) =>
    c.complete({ ref, argument, ...(Object.keys(context).length > 0 ? { context: { arguments: context } } : {}) }),
  );
  const { values, total, hasMore } = result.completion;
  return { values: values.slice(0, 100), ...(total !== undefined ? { total } : {}), ...(hasMore !== undefined ? { hasMore } : {}) };
}

export async function setLogLevel(session: McpSession, level: LogLevel): Promise<void> {
  need(session, 'logging', 'a log level setting');
  // logging/setLevel is deprecated from 2026-07-28 on but still answered by servers of the eras Steward speaks.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  await session.use('Setting the log level', (c) => c.setLoggingLevel(level));
}
