// The flooding server for the bench: one tool that asks the client count form questions at once and answers when every
// one has been answered or refused, with how each went. Given `hold`, it reports progress ("held") once all but that
// many were refused: the rest are the ones the host keeps waiting for the user, who can then answer them.
import { McpServer } from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';

const server = new McpServer({ name: 'bench-flood', version: '1.0.0' });

server.registerTool(
  'flood',
  { description: 'Asks count form questions at once.', inputSchema: z.object({ count: z.number().int(), hold: z.number().int().optional() }) },
  async ({ count, hold }, ctx) => {
    const token = ctx.mcpReq._meta?.progressToken;
    let refused = 0;
    const outcomes = await Promise.allSettled(
      Array.from({ length: count }, (_, i) =>
        server.server
          // eslint-disable-next-line @typescript-eslint/no-deprecated -- the 2025-era push-style request is exactly what a host must cap
          .elicitInput({ message: `Question ${i}?`, requestedSchema: { type: 'object', properties: { answer: { type: 'string' } } } })
          .catch((error: unknown) => {
            refused += 1;
            if (hold !== undefined && token !== undefined && refused === count - hold) {
              ctx.mcpReq
                .notify({ method: 'notifications/progress', params: { progressToken: token, progress: refused, total: count, message: 'held' } })
                // A host gone mid-flood hears nothing more; the flood itself still settles.
                .catch(() => undefined);
            }
            throw error;
          }),
      ),
    );
    const answered = outcomes.filter((o) => o.status === 'fulfilled').length;
    return { content: [{ type: 'text', text: JSON.stringify({ answered, refused: count - answered }) }] };
  },
);

await server.connect(new StdioServerTransport());
