// The agent loop behind ask_about_folder: the host's model answers a question by calling this server's own tools.
import type { CreateMessageResult, CreateMessageResultWithTools, SamplingMessage, Tool } from '@modelcontextprotocol/server';
import type { Folders } from './folders.js';

type Sample = (params: {
  messages: SamplingMessage[];
  systemPrompt: string;
  maxTokens: number;
  tools: Tool[];
  toolChoice: { mode: 'auto' | 'required' | 'none' };
}) => Promise<CreateMessageResult | CreateMessageResultWithTools>;

export const SYSTEM = `You answer questions about the user's shared folders. Use the tools to look before you answer:
list_files to see what is there, search to find text, read_file to read. Call several tools at once when you can.
Answer briefly and name the files you relied on.`;

export const TOOLS: Tool[] = [
  {
    name: 'list_files',
    description: 'List files and folders under a path (relative to the shared folder).',
    inputSchema: { type: 'object', properties: { path: { type: 'string' } } },
  },
  {
    name: 'read_file',
    description: 'Read a text file (first 16 KB).',
    inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
  },
  {
    name: 'search',
    description: 'Find lines containing a text (case-insensitive) under a path.',
    inputSchema: { type: 'object', properties: { query: { type: 'string' }, path: { type: 'string' } }, required: ['query'] },
  },
];

export interface LoopOutcome {
  answer: string;
  rounds: number;
  toolCalls: number;
}

export async function runAgentLoop(question: string, folders: Folders, sample: Sample, maxRounds = 8): Promise<LoopOutcome> {
  const messages: SamplingMessage[] = [{ role: 'user', content: { type: 'text', text: question } }];
  let toolCalls = 0;
  for (let round = 1; round <= maxRounds; round++) {
    const last = round === maxRounds;
    const reply = await sample({ messages, systemPrompt: SYSTEM, maxTokens: 2000, tools: TOOLS, toolChoice: { mode: last ? 'none' : 'auto' } });
    const blocks = Array.isArray(reply.content) ? reply.content : [reply.content];
    const uses = blocks.filter((b): b is Extract<typeof b, { type: 'tool_use' }> => b.type === 'tool_use');
    if (uses.length === 0 || reply.stopReason !== 'toolUse') {
      const answer = blocks
        .map((b) => (b.type === 'text' ? b.text : ''))
        .join('')
        .trim();
      return { answer: answer || '(the model gave no answer)', rounds: round, toolCalls };
    }
    messages.push({ role: 'assistant', content: blocks });
    const results = [];
    for (const use of uses) {
      toolCalls++;
      const { text, isError } = await runTool(use.name, use.input, folders);
      results.push({ type: 'tool_result' as const, toolUseId: use.id, content: [{ type: 'text' as const, text }], ...(isError ? { isError } : {}) });
    }
    messages.push({ role: 'user', content: results });
  }
  return { answer: '(no answer within the round limit)', rounds: maxRounds, toolCalls };
}

export async function runTool(name: string, input: Record<string, unknown>, folders: Folders): Promise<{ text: string; isError?: boolean }> {
  const path = typeof input.path === 'string' && input.path !== '' ? input.path : '.';
  try {
    if (name === 'list_files') {
      const lines: string[] = [];
      for await (const entry of folders.walk(await folders.inside(path), 300))
        lines.push(entry.dir ? `${folders.display(entry.path)}/` : folders.display(entry.path));
      return { text: lines.join('\n') || '(empty)' };
    }
    if (name === 'read_file') {
      const { text, truncated } = await folders.readText(await folders.inside(path), 0, 16_000);
      return { text: truncated ? `${text}\n[truncated]` : text };
    }
    if (name === 'search' && typeof input.query === 'string') {
      const pattern = new RegExp(input.query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
      const hits = await folders.search(await folders.inside(path), pattern, 50);
      return { text: hits.map((h) => `${folders.display(h.file)}:${h.line}: ${h.text}`).join('\n') || 'No matches.' };
    }
    return { text: `Unknown tool ${name}.`, isError: true };
  } catch (error) {
    return { text: (error as Error).message, isError: true };
  }
}
