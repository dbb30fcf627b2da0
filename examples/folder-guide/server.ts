#!/usr/bin/env node
// Folder Guide: an MCP server with read-only tools over the folders the user shares with it (MCP roots).
import { fileURLToPath } from 'node:url';
import { McpServer } from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';
import { runAgentLoop } from './agent.js';
import { Folders, OutsideFolders } from './folders.js';

const folders = new Folders();
const fromArgs = process.argv.slice(2).filter((a) => !a.startsWith('-'));

const server = new McpServer(
  { name: 'folder-guide', version: '1.0.0', title: 'Folder Guide' },
  {
    capabilities: { logging: {} },
    instructions: 'Read-only tools over the folders the user shared. Paths are relative to the first shared folder unless absolute.',
  },
);

const text = (t: string) => ({ content: [{ type: 'text' as const, text: t }] });
const failure = (t: string) => ({ content: [{ type: 'text' as const, text: t }], isError: true });

/** Settles when the latest roots/list answer is in; tools wait for it so a first call sees the shared folders. */
let rootsReady: Promise<void> = Promise.resolve();

async function guarded<T>(fn: () => Promise<T>) {
  await rootsReady;
  try {
    return await fn();
  } catch (error) {
    if (error instanceof OutsideFolders) return failure(error.message);
    return failure(`Failed: ${(error as Error).message}`);
  }
}

server.registerTool(
  'list_folders',
  { title: 'List shared folders', description: 'The folders this server may read.', inputSchema: z.object({}), annotations: { readOnlyHint: true } },
  async () => {
    await rootsReady;
    const list = folders.list();
    return text(list.length > 0 ? list.join('\n') : 'No folder is shared yet. Share one in Steward (Roots).');
  },
);

server.registerTool(
  'list_files',
  {
    title: 'List files',
    description: 'Lists files and folders under a path, breadth first, skipping .git and node_modules.',
    inputSchema: z.object({
      path: z.string().default('.').describe('Folder to list, relative to the first shared folder or absolute.'),
      maxEntries: z.number().int().min(1).max(2000).default(200),
    }),
    annotations: { readOnlyHint: true },
  },
  async ({ path, maxEntries }) =>
    guarded(async () => {
      const start = await folders.inside(path);
      const lines: string[] = [];
      for await (const entry of folders.walk(start, maxEntries)) {
        lines.push(entry.dir ? `${folders.display(entry.path)}/` : `${folders.display(entry.path)}  (${entry.size} bytes)`);
      }
      return text(lines.length > 0 ? lines.join('\n') : '(empty)');
    }),
);

server.registerTool(
  'read_file',
  {
    title: 'Read a file',
    description: 'Reads part of a text file.',
    inputSchema: z.object({
      path: z.string(),
      offset: z.number().int().min(0).default(0),
      maxBytes: z.number().int().min(1).max(1_000_000).default(64_000),
    }),
    annotations: { readOnlyHint: true },
  },
  async ({ path, offset, maxBytes }) =>
    guarded(async () => {
      const real = await folders.inside(path);
      const { text: body, size, truncated } = await folders.readText(real, offset, maxBytes);
      const note = truncated ? `\n\n[${size} bytes in all; continue with offset ${offset + Buffer.byteLength(body)}]` : '';
      return text(body + note);
    }),
);

server.registerTool(
  'search',
  {
    title: 'Search text',
    description: 'Finds lines matching a text or regular expression in the text files under a path.',
    inputSchema: z.object({
      query: z.string().min(1).max(500),
      path: z.string().default('.'),
      regex: z.boolean().default(false),
      caseSensitive: z.boolean().default(false),
      maxResults: z.number().int().min(1).max(500).default(50),
    }),
    annotations: { readOnlyHint: true },
  },
  async ({ query, path, regex, caseSensitive, maxResults }, ctx) =>
    guarded(async () => {
      const start = await folders.inside(path);
      let pattern: RegExp;
      try {
        pattern = new RegExp(regex ? query : query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), caseSensitive ? '' : 'i');
      } catch (error) {
        return failure(`That is not a valid regular expression: ${(error as Error).message}`);
      }
      await ctx.mcpReq.log('info', `Searching ${folders.display(start)} for ${query}`);
      const hits = await folders.search(start, pattern, maxResults);
      return text(hits.length > 0 ? hits.map((h) => `${folders.display(h.file)}:${h.line}: ${h.text}`).join('\n') : 'No matches.');
    }),
);

server.registerTool(
  'ask_about_folder',
  {
    title: 'Ask about the folder',
    description:
      "Answers a question about the shared folders. Uses your model through the host (sampling), which reads the files with this server's own tools over several rounds.",
    inputSchema: z.object({ question: z.string().min(1).max(4000) }),
    annotations: { readOnlyHint: true },
  },
  async ({ question }, ctx) =>
    guarded(async () => {
      if (!server.server.getClientCapabilities()?.sampling?.tools) {
        return failure('This host does not offer sampling with tools, which this tool needs.');
      }
      const token = ctx.mcpReq._meta?.progressToken;
      let round = 0;
      const outcome = await runAgentLoop(question, folders, async (params) => {
        round += 1;
        // Progress per round keeps a host that resets its timeout on progress waiting while the user decides.
        if (token !== undefined) {
          await ctx.mcpReq.notify({
            method: 'notifications/progress',
            params: { progressToken: token, progress: round, message: `Round ${round}: asking the model` },
          });
        }
        // The user may take a while to approve a round.
        return ctx.mcpReq.requestSampling(params, { timeout: 15 * 60_000 });
      });
      return text(`${outcome.answer}\n\n(${outcome.rounds} round(s), ${outcome.toolCalls} tool call(s))`);
    }),
);

async function refreshRoots(): Promise<void> {
  const fromClient: string[] = [];
  if (server.server.getClientCapabilities()?.roots) {
    try {
      const { roots } = await server.server.listRoots();
      for (const root of roots) if (root.uri.startsWith('file://')) fromClient.push(fileURLToPath(root.uri));
    } catch (error) {
      console.error(`folder-guide: could not list roots: ${(error as Error).message}`);
    }
  }
  await folders.set([...fromClient, ...fromArgs]);
  console.error(`folder-guide: sharing ${folders.list().length} folder(s)`);
}

server.server.oninitialized = () => {
  rootsReady = refreshRoots();
};
server.server.setNotificationHandler('notifications/roots/list_changed', () => {
  rootsReady = refreshRoots();
});

await folders.set(fromArgs);
await server.connect(new StdioServerTransport());
