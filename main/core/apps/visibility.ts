// Who may use a tool, by its `_meta.ui.visibility`: a model sees only tools that include "model", a view may call
// only its own server's tools that include "app". Absent means both. Pure.
import { readToolUi, type ToolUi } from '../../../shared/domain/apps.js';
import type { ToolView } from '../../../shared/domain/mcp.js';

export function offeredToModel(ui: ToolUi | undefined): boolean {
  return ui?.visibility === undefined || ui.visibility.includes('model');
}

export function callableByViews(ui: ToolUi | undefined): boolean {
  return ui?.visibility === undefined || ui.visibility.includes('app');
}

/** Why a view may not call `name` on its own server, or null when it may. */
export function viewCallRefusal(name: string, serverTools: readonly ToolView[]): string | null {
  const tool = serverTools.find((t) => t.name === name);
  if (!tool) return `This server has no tool named "${name.slice(0, 200)}"; a view may call only its own server's tools.`;
  if (!callableByViews(tool.ui)) return `The tool "${name}" is not open to views (its visibility leaves out "app").`;
  return null;
}

/**
 * The tools a sampling request may offer a model. A tool is left out when its own `_meta` in the request leaves out
 * "model", or when the server lists a tool of that name whose visibility leaves out "model": a server cannot hand the
 * model an app-only tool by repeating it in a request. With nothing left, the request offers no tools at all.
 */
export function samplingToolsForModel(params: unknown, serverTools: readonly ToolView[]): { params: unknown; hidden: string[] } {
  if (!params || typeof params !== 'object' || Array.isArray(params)) return { params, hidden: [] };
  const request = params as Record<string, unknown>;
  if (!Array.isArray(request.tools)) return { params, hidden: [] };
  const listed = new Map(serverTools.map((t) => [t.name, t.ui]));
  const hidden: string[] = [];
  const kept = (request.tools as unknown[]).filter((tool) => {
    if (!tool || typeof tool !== 'object') return true;
    const { name, _meta } = tool as { name?: unknown; _meta?: unknown };
    const visible = offeredToModel(readToolUi(_meta)) && (typeof name !== 'string' || offeredToModel(listed.get(name)));
    if (!visible) hidden.push(typeof name === 'string' ? name : '(unnamed)');
    return visible;
  });
  if (hidden.length === 0) return { params, hidden };
  if (kept.length > 0) return { params: { ...request, tools: kept }, hidden };
  const { tools: _tools, toolChoice: _choice, ...rest } = request;
  return { params: rest, hidden };
}
