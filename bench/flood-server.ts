// The flooding server for the bench: one tool that asks the client count form questions at once and answers when every
// one has been answered or refused, with how each went.
import { McpServer } from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';

const server = new McpServer({ name: 'bench-flood', version: '1.0.0' });

server.registerTool('flood', { description: 'Asks count form questions at once.', inputSchema: z.object({ count: z.number().int() }) }, async ({ count }) => {
  const outcomes = await Promise.allSettled(
    Array.from({ length: count }, (_, i) =>
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- the 2025-era push-style request is exactly what a host must cap
      server.server.elicitInput({ message: `Question ${i}?`, requestedSchema: { type: 'object', properties: { answer: { type: 'string' } } } }),
    ),
  );
  const answered = outcomes.filter((o) => o.status === 'fulfilled').length;
  return { content: [{ type: 'text', text: JSON.stringify({ answered, refused: count - answered }) }] };
});

await server.connect(new StdioServerTransport());
