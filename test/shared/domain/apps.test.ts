// Discovery of a tool's view from its `_meta`: the nested key, the legacy flat key, and declarations Steward refuses —
// checked against the reference library's own reading where it has one.
import { getToolUiResourceUri } from '@modelcontextprotocol/ext-apps/app-bridge';
import { describe, expect, it } from 'vitest';
import { readToolUi } from '../../../shared/domain/apps.js';

describe('a tool’s view and visibility', () => {
  it.each([
    ['nothing', undefined, undefined],
    ['an empty _meta', {}, undefined],
    ['other keys only', { 'io.example/x': 1 }, undefined],
    ['the nested key', { ui: { resourceUri: 'ui://a/view.html' } }, { resourceUri: 'ui://a/view.html' }],
    ['the legacy key', { 'ui/resourceUri': 'ui://a/view.html' }, { resourceUri: 'ui://a/view.html' }],
    ['both keys (the nested one wins)', { ui: { resourceUri: 'ui://new' }, 'ui/resourceUri': 'ui://old' }, { resourceUri: 'ui://new' }],
    ['visibility only', { ui: { visibility: ['app'] } }, { visibility: ['app'] }],
    ['both parts', { ui: { resourceUri: 'ui://v', visibility: ['model', 'app'] } }, { resourceUri: 'ui://v', visibility: ['model', 'app'] }],
    ['a repeated visibility', { ui: { visibility: ['app', 'app'] } }, { visibility: ['app'] }],
  ])('%s', (_name, meta, expected) => {
    expect(readToolUi(meta)).toEqual(expected);
  });

  it.each([
    ['an https address', { ui: { resourceUri: 'https://evil.example/view.html' } }],
    ['a javascript: address', { 'ui/resourceUri': 'javascript:alert(1)' }],
    ['a number', { ui: { resourceUri: 42 } }],
  ])('refuses %s as a view, saying why', (_name, meta) => {
    const ui = readToolUi(meta);
    expect(ui?.resourceUri).toBeUndefined();
    expect(ui?.problem).toMatch(/not a ui:\/\/ resource/);
  });

  it.each([
    ['an unknown audience', ['model', 'everyone']],
    ['a string instead of a list', 'model'],
    ['a list of numbers', [1]],
  ])('reads a visibility with %s as app-only, never as open to models', (_name, visibility) => {
    const ui = readToolUi({ ui: { resourceUri: 'ui://v', visibility } });
    expect(ui?.visibility).toEqual(['app']);
    expect(ui?.problem).toMatch(/callable by its views only/);
  });

  it('finds the same view address as the reference library for every well-formed declaration', () => {
    const cases = [
      { ui: { resourceUri: 'ui://a' } },
      { 'ui/resourceUri': 'ui://b' },
      { ui: { resourceUri: 'ui://c' }, 'ui/resourceUri': 'ui://d' },
      { ui: { visibility: ['app'] } },
      {},
    ];
    for (const meta of cases) expect(readToolUi(meta)?.resourceUri).toBe(getToolUiResourceUri({ _meta: meta }));
  });
});
