// Progress from a call, paced before it reaches the UI: a burst of updates becomes a few events, and the latest update
// the host received is always the last one told, even when it came just before the call ended. A listener that throws
// is reported, never the end of the process or of the call. Pacing reads the host's clock (here standing still), so
// the counts do not depend on how fast the machine runs the loop.
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
    unexpected: () => undefined,
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

  it('reports a listener that throws, from the paced flush and the last word alike, and the call still succeeds', async () => {
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (finish = resolve));
    let onProgress: ((p: { progress: number }) => void) | undefined;
    const session = {
      callTool: async (_name: string, _args: unknown, options: { onProgress?: (p: { progress: number }) => void }) => {
        onProgress = options.onProgress;
        await done;
        return { content: [], isError: false };
      },
    } as unknown as McpSession;
    const reported: string[] = [];
    let told = 0;
    const tools = new ToolCalls({
      acquire: () => Promise.resolve({ session, release: () => undefined, timeoutSeconds: 10, serverName: 'busy' }),
      // A window that went away under the listener: telling it throws.
      progress: () => {
        told += 1;
        throw new Error('Object has been destroyed');
      },
      record: () => undefined,
      now: () => 0,
      unexpected: (where) => reported.push(where),
    });
    const call = tools.call({ serverId: 's', name: 'busy', arguments: {}, callId: 'c1' });
    for (let i = 0; i < 200 && !onProgress; i++) await new Promise((r) => setTimeout(r, 5));
    // The first is told at once; the second is held for the timer, which then tells it.
    onProgress!({ progress: 1 });
    onProgress!({ progress: 2 });
    for (let i = 0; i < 200 && told < 2; i++) await new Promise((r) => setTimeout(r, 5));
    onProgress!({ progress: 3 });
    finish();
    await expect(call).resolves.toMatchObject({ isError: false });
    expect(told).toBe(3);
    expect(reported).toEqual(Array(3).fill('telling the progress of a tool call'));
  });

  it('tells nothing for a call nobody follows', async () => {
    const { tools, seen } = calls(5);
    await tools.call({ serverId: 's', name: 'busy', arguments: {} });
    expect(seen).toEqual([]);
  });
});
