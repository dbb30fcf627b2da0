// Who may use a tool, as pure decisions: models only tools open to "model", views only their own server's tools open
// to "app", and a sampling request cannot offer a model a tool the server keeps for its views.
import { describe, expect, it } from 'vitest';
import { callableByViews, offeredToModel, samplingToolsForModel, viewCallRefusal } from '../../../main/core/apps/index.js';
import type { ToolView } from '../../../shared/domain/mcp.js';

const tool = (name: string, visibility?: ('model' | 'app')[]): ToolView => ({
  name,
  inputSchema: { type: 'object' },
  ...(visibility ? { ui: { visibility } } : {}),
});
const SERVER_TOOLS = [tool('both'), tool('model-only', ['model']), tool('app-only', ['app']), tool('nobody', [])];

describe('visibility', () => {
  it.each([
    [undefined, true, true],
    [{}, true, true],
    [{ visibility: ['model', 'app'] as ('model' | 'app')[] }, true, true],
    [{ visibility: ['model'] as ('model' | 'app')[] }, true, false],
    [{ visibility: ['app'] as ('model' | 'app')[] }, false, true],
    [{ visibility: [] as ('model' | 'app')[] }, false, false],
  ])('%j: model %s, views %s', (ui, model, views) => {
    expect(offeredToModel(ui)).toBe(model);
    expect(callableByViews(ui)).toBe(views);
  });
});

describe('a view’s tools/call', () => {
  it.each([
    ['both', null],
    ['app-only', null],
    ['model-only', /not open to views/],
    ['nobody', /not open to views/],
    ['another-servers-tool', /no tool named/],
  ])('%s: %s', (name, refusal) => {
    const result = viewCallRefusal(name, SERVER_TOOLS);
    if (refusal === null) expect(result).toBeNull();
    else expect(result).toMatch(refusal);
  });
});

describe('tools in a sampling request', () => {
  const offered = (tools: unknown[]) => ({ messages: [], maxTokens: 10, tools, toolChoice: { mode: 'auto' } });
  const named = (name: string, meta?: unknown) => ({ name, inputSchema: { type: 'object' }, ...(meta ? { _meta: meta } : {}) });

  it('leaves the request alone when every tool is for models', () => {
    const request = offered([named('both'), named('model-only'), named('private-to-the-loop')]);
    expect(samplingToolsForModel(request, SERVER_TOOLS)).toEqual({ params: request, hidden: [] });
  });

  it('leaves out tools the server lists as not for models, whatever the request says about them', () => {
    const { params, hidden } = samplingToolsForModel(
      offered([named('both'), named('app-only'), named('nobody', { ui: { visibility: ['model'] } })]),
      SERVER_TOOLS,
    );
    expect(hidden).toEqual(['app-only', 'nobody']);
    expect((params as { tools: { name: string }[] }).tools.map((t) => t.name)).toEqual(['both']);
  });

  it('leaves out tools whose own _meta in the request is app-only, even unknown to the server', () => {
    const { hidden } = samplingToolsForModel(offered([named('loop-tool', { ui: { visibility: ['app'] } }), named('both')]), SERVER_TOOLS);
    expect(hidden).toEqual(['loop-tool']);
  });

  it('drops tools and toolChoice when nothing is left', () => {
    const { params, hidden } = samplingToolsForModel(offered([named('app-only')]), SERVER_TOOLS);
    expect(hidden).toEqual(['app-only']);
    expect(params).toEqual({ messages: [], maxTokens: 10 });
  });

  it.each([[null], ['text'], [{ messages: [] }], [{ tools: 'all' }]])('passes a request without a tool list through: %j', (request) => {
    expect(samplingToolsForModel(request, SERVER_TOOLS)).toEqual({ params: request, hidden: [] });
  });
});
