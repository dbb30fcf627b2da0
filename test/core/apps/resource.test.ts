// A view's HTML as the server sent it, checked as a pure function: only text/html;profile=mcp-app, as text or a base64
// blob; the sandbox declared on the content, else on the resources/list entry (never a mix); permissions as `allow`.
import { buildAllowAttribute } from '@modelcontextprotocol/ext-apps/app-bridge';
import { describe, expect, it } from 'vitest';
import { allowAttribute, grantedPermissions, isAppMimeType, readUiContent, viewMeta, MAX_VIEW_HTML } from '../../../main/core/apps/index.js';

const URI = 'ui://tool/view.html';
const HTML = '<!doctype html><html><body>hi</body></html>';
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const read = (content: Record<string, unknown>) => readUiContent({ contents: [{ uri: URI, ...content }] }, URI);

describe('the content type', () => {
  it.each([
    ['text/html;profile=mcp-app', true],
    ['text/html; profile=mcp-app', true],
    ['TEXT/HTML;Profile=mcp-app', true],
    ['text/html;profile="mcp-app"', true],
    ['text/html', false],
    ['text/html;profile=mcp-app;charset=utf-8', false],
    ['text/html;profile=mcp-apps', false],
    ['text/html;profile="mcp-app', false],
    ['text/plain;profile=mcp-app', false],
    ['application/xhtml+xml;profile=mcp-app', false],
    ['text/html;profile=MCP-APP', false],
    ['', false],
    [undefined, false],
    [42, false],
  ])('%j is a view: %s', (mime, ok) => {
    expect(isAppMimeType(mime)).toBe(ok);
  });
});

describe('the content', () => {
  it('takes text as it is', () => {
    expect(read({ mimeType: 'text/html;profile=mcp-app', text: HTML })).toEqual({ ok: true, html: HTML, meta: undefined });
  });

  it('decodes a base64 blob as UTF-8, with its _meta', () => {
    const meta = { ui: { prefersBorder: true } };
    expect(read({ mimeType: 'text/html;profile=mcp-app', blob: b64('<p>héllo ✓</p>'), _meta: meta })).toEqual({ ok: true, html: '<p>héllo ✓</p>', meta });
  });

  it.each([
    ['plain text/html', { mimeType: 'text/html', text: HTML }, /text\/html;profile=mcp-app/],
    ['no content type', { text: HTML }, /no content type/],
    ['neither text nor blob', { mimeType: 'text/html;profile=mcp-app' }, /neither text nor a blob/],
    ['a blob that is not base64', { mimeType: 'text/html;profile=mcp-app', blob: '<html>not base64</html>' }, /not base64/],
    ['a blob that is not UTF-8', { mimeType: 'text/html;profile=mcp-app', blob: Buffer.from([0xff, 0xfe, 0xfd, 0x00]).toString('base64') }, /UTF-8/],
    ['empty HTML', { mimeType: 'text/html;profile=mcp-app', text: '   ' }, /empty/],
    ['HTML over the cap', { mimeType: 'text/html;profile=mcp-app', text: 'x'.repeat(MAX_VIEW_HTML + 1) }, /larger/],
  ])('refuses %s', (_name, content, reason) => {
    const checked = read(content);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.reason).toMatch(reason);
  });

  it('picks the item for the asked URI among several, and refuses when none matches', () => {
    const other = { uri: 'ui://other', mimeType: 'text/plain', text: 'no' };
    const mine = { uri: URI, mimeType: 'text/html;profile=mcp-app', text: HTML };
    expect(readUiContent({ contents: [other, mine] }, URI)).toMatchObject({ ok: true, html: HTML });
    expect(readUiContent({ contents: [other, { ...other, uri: 'ui://third' }] }, URI)).toMatchObject({ ok: false });
    expect(readUiContent({ contents: [] }, URI)).toMatchObject({ ok: false });
    expect(readUiContent('garbage', URI)).toMatchObject({ ok: false });
  });
});

describe('the declared sandbox', () => {
  const content = { ui: { csp: { connectDomains: ['https://a.example'] }, permissions: { camera: {} }, prefersBorder: false } };
  const list = { ui: { csp: { connectDomains: ['https://list.example'] }, permissions: { microphone: {} } } };

  it('comes from the content first', () => {
    expect(viewMeta(content, list)).toEqual({ csp: content.ui.csp, permissions: { camera: {} }, prefersBorder: false, source: 'content' });
  });

  it('falls back to the list entry, whole, when the content declares nothing', () => {
    expect(viewMeta(undefined, list)).toEqual({ csp: list.ui.csp, permissions: { microphone: {} }, prefersBorder: null, source: 'list' });
    expect(viewMeta({ other: 1 }, list).source).toBe('list');
  });

  it('is nothing (the default policy) when neither declares it', () => {
    expect(viewMeta(undefined, undefined)).toEqual({ csp: undefined, permissions: {}, prefersBorder: null, source: 'none' });
    expect(viewMeta({ ui: 'csp' }, { ui: [] }).source).toBe('none');
  });

  it.each([
    [
      { camera: {}, microphone: {}, geolocation: {}, clipboardWrite: {} },
      { camera: {}, microphone: {}, geolocation: {}, clipboardWrite: {} },
    ],
    [{ camera: true, microphone: 'yes', usb: {}, clipboardRead: {} }, {}],
    [['camera'], {}],
    [null, {}],
  ])('grants only the four known permissions declared as objects: %j', (raw, granted) => {
    expect(grantedPermissions(raw)).toEqual(granted);
  });

  it('builds the same allow attribute as the reference library', () => {
    for (const permissions of [
      {},
      { camera: {} },
      { clipboardWrite: {} },
      { microphone: {}, geolocation: {} },
      { camera: {}, microphone: {}, geolocation: {}, clipboardWrite: {} },
    ]) {
      expect(allowAttribute(permissions)).toBe(buildAllowAttribute(permissions));
    }
  });
});
