#!/usr/bin/env node
// Folder Guide, 2026-07-28 only: the same agent loop as server.ts, run the stateless way. The server sends no requests;
// each round answers ask_about_folder with input_required (first the shared folders, then the host's model, with this
// server's tools), and the host retries with the answer. The conversation so far travels in requestState.
import { fileURLToPath } from 'node:url';
import { inputRequired, inputResponse, McpServer, type CreateMessageResult, type SamplingMessage } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';
import { runTool, SYSTEM, TOOLS } from './agent.js';
import { Folders, OutsideFolders } from './folders.js';

/** Sampling rounds; with the folders round this stays inside the ten rounds a host retries one request. */
const MAX_ROUNDS = 8;

/**
 * What the loop carries from round to round. It comes back from the host, so it is taken as untrusted: it decides
 * nothing but the model's transcript, and every path a tool reads is still checked against the shared folders.
 */
interface LoopState {
  roots: string[];
  messages: SamplingMessage[];
  round: number;
  toolCalls: number;
}

const text = (t: string) => ({ content: [{ type: 'text' as const, text: t }] });
const failure = (t: string) => ({ content: [{ type: 'text' as const, text: t }], isError: true });

function readState(raw: unknown): LoopState | undefined {
  if (typeof raw !== 'string') return undefined;
  try {
    const state = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as LoopState;
    return Array.isArray(state.roots) && Array.isArray(state.messages) && Number.isInteger(state.round) ? state : undefined;
  } catch {
    return undefined;
  }
}

const writeState = (state: LoopState) => Buffer.from(JSON.stringify(state)).toString('base64url');

function askModel(state: LoopState) {
  const last = state.round >= MAX_ROUNDS;
  return inputRequired({
    inputRequests: {
      [`round-${state.round}`]: inputRequired.createMessage({
        messages: state.messages,
        systemPrompt: SYSTEM,
        maxTokens: 2000,
        tools: TOOLS,
        toolChoice: { mode: last ? 'none' : 'auto' },
      }),
    },
    requestState: writeState(state),
  });
}

function makeServer() {
  const server = new McpServer(
    { name: 'folder-guide-modern', version: '1.0.0', title: 'Folder Guide (2026-07-28)' },
    { capabilities: { tools: {} }, instructions: 'Answers questions about the folders the user shared, with the host model.' },
  );
  server.registerTool(
    'ask_about_folder',
    {
      title: 'Ask about the folder',
      description: "Answers a question about the shared folders with your model, which reads the files with this server's tools over several rounds.",
      inputSchema: z.object({ question: z.string().min(1).max(4000) }),
      annotations: { readOnlyHint: true },
    },
    async ({ question }, ctx) => {
      const responses = ctx.mcpReq.inputResponses;
      const state = readState(ctx.mcpReq.requestState());
      if (!state) {
        const roots = inputResponse(responses, 'roots');
        if (roots.kind !== 'roots') return inputRequired({ inputRequests: { roots: inputRequired.listRoots() } });
        const shared = roots.roots.filter((r) => r.uri.startsWith('file://')).map((r) => fileURLToPath(r.uri));
        if (shared.length === 0) return failure('No folder is shared yet. Share one in Steward (Roots).');
        return askModel({ roots: shared, messages: [{ role: 'user', content: { type: 'text', text: question } }], round: 1, toolCalls: 0 });
      }
      const answer = inputResponse(responses, `round-${state.round}`);
      if (answer.kind !== 'sampling') return failure('The host did not answer the model round.');
      const reply = answer.result as CreateMessageResult & { content: unknown };
      const blocks = (Array.isArray(reply.content) ? reply.content : [reply.content]) as Array<Record<string, unknown>>;
      const uses = blocks.filter((b) => b.type === 'tool_use');
      if (uses.length === 0 || reply.stopReason !== 'toolUse' || state.round >= MAX_ROUNDS) {
        const said = blocks
          .map((b) => (b.type === 'text' && typeof b.text === 'string' ? b.text : ''))
          .join('')
          .trim();
        return text(`${said || '(the model gave no answer)'}\n\n(${state.round} round(s), ${state.toolCalls} tool call(s))`);
      }
      const folders = new Folders();
      await folders.set(state.roots);
      const results = [];
      for (const use of uses) {
        const input = (typeof use.input === 'object' && use.input !== null ? use.input : {}) as Record<string, unknown>;
        const { text: out, isError } = await runTool(String(use.name), input, folders).catch((error: unknown) => ({
          text: error instanceof OutsideFolders ? error.message : `Failed: ${(error as Error).message}`,
          isError: true,
        }));
        results.push({
          type: 'tool_result' as const,
          toolUseId: String(use.id),
          content: [{ type: 'text' as const, text: out }],
          ...(isError ? { isError } : {}),
        });
      }
      return askModel({
        roots: state.roots,
        messages: [...state.messages, { role: 'assistant', content: blocks as SamplingMessage['content'] }, { role: 'user', content: results }],
        round: state.round + 1,
        toolCalls: state.toolCalls + uses.length,
      });
    },
  );
  return server;
}

serveStdio(() => makeServer(), { legacy: 'reject' });
