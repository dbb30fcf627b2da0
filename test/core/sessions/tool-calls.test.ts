// Progress from a call, paced before it reaches the UI: a burst of updates becomes a few events, and the latest update
// the host received is always the last one told, even when it came just before the call ended.
import { describe, expect, it } from 'vitest';
import type { McpSession } from '../../../main/core/sessions/index.js';
import { ToolCalls } from '../../../main/core/sessions/index.js';
import type { Progress } from '../../../shared/domain/mcp.js';

function calls(updates: number) {
  const seen: Progress[] = [];
  const session = {
    callTool: (_name: string, _args: unknown, options: { onProgress?: (p: { progress: number; total?: number }) => void }) => {
      for (let i = 1; i <= updates; i++) options.onProgress?.({ progress: i, total: updates });
      return Promise.resolve({ content: [], isError: false });
    },
  } as unknown as McpSession;
  const tools = new ToolCalls({
    acquire: () => Promise.resolve({ session, release: () => undefined, timeoutSeconds: 10, serverName: 'busy' }),
    progress: (p) => seen.push(p),
    record: () => undefined,
    now: () => 0,
  });
  return { tools, seen };
}

describe('tool call progress', () => {
  it('turns a burst of 10,000 updates into a few events, ending with the last one', async () => {
    const { tools, seen } = calls(10_000);
    await tools.call({ serverId: 's', name: 'busy', arguments: {}, callId: 'c1' });
    expect(seen.length).toBeLessThanOrEqual(2);
    expect(seen.at(-1)).toMatchObject({ callId: 'c1', serverId: 's', progress: 10_000, total: 10_000 });
  });

  it('tells nothing for a call nobody follows', async () => {
    const { tools, seen } = calls(5);
    await tools.call({ serverId: 's', name: 'busy', arguments: {} });
    expect(seen).toEqual([]);
  });
});
