// The views of the tool calls a round answers: each tool result for one of the server's tools that has a view shows
// that view inline in the transcript, with the call's input and its result.
import type { RoundView, SamplingBlock } from '../../../../shared/domain/sampling.js';
import type { ToolView } from '../../../../shared/domain/mcp.js';
import { AppView } from '../../components/apps/AppView.js';

export interface ToolUse {
  name: string;
  input: Record<string, unknown>;
}

/** Every tool call in a transcript by id, with its input. */
export function toolUses(blocks: Iterable<SamplingBlock>): Map<string, ToolUse> {
  const uses = new Map<string, ToolUse>();
  for (const b of blocks) if (b.type === 'tool_use') uses.set(b.id, { name: b.name, input: b.input });
  return uses;
}

interface Props {
  loopId: string;
  serverId: string;
  entry: RoundView;
  uses: Map<string, ToolUse>;
  tools: Map<string, ToolView>;
}

export function RoundViews({ loopId, serverId, entry, uses, tools }: Props) {
  const results = entry.newMessages.flatMap((m) => m.content).filter((b) => b.type === 'tool_result');
  return (
    <>
      {results.map((block) => {
        const use = uses.get(block.toolUseId);
        const tool = use ? tools.get(use.name) : undefined;
        if (!use || !tool) return null;
        const result = {
          content: block.content,
          isError: block.isError ?? false,
          ...(block.structuredContent ? { structuredContent: block.structuredContent } : {}),
        };
        return (
          <AppView key={block.toolUseId} viewKey={`loop:${loopId}:${block.toolUseId}`} serverId={serverId} tool={tool} input={use.input} result={result} />
        );
      })}
    </>
  );
}
