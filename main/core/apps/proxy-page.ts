// The proxy frame every front end serves on a view's own origin: a tiny page under the view's CSP (sent as a header)
// whose inline script writes the view's HTML into a sandboxed inner frame and relays messages between Steward's page
// and the view.
export const FRAME_PAGE_PREFIX = '/proxy/';
export const FRAME_REPORT_PREFIX = '/csp-report/';

/** The sandbox of the proxy frame and of the view's frame inside it: scripts, its own origin (storage), forms. */
export const VIEW_SANDBOX = 'allow-scripts allow-same-origin allow-forms';

/** The CSP of every other answer on a view's origin: a refusal renders nothing, runs nothing and is framed nowhere. */
export const FRAME_REFUSAL_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * The relay. Messages from Steward's page are taken only from the parent and only from Steward's origin; messages from
 * the view only from the inner frame, and only on the proxy's own origin. The HTML is written once. Proxy-only methods
 * (ui/notifications/sandbox-*) never pass in either direction. The theme the host sends sets the frames' color-scheme,
 * so a dark view is not painted on an opaque light canvas. When the view's frame navigates away from the written
 * document, Steward is told and closes the view.
 *
 * None of this holds a view in: the view shares the proxy's origin (allow-same-origin, for its storage), so it can
 * script the proxy, post as it, or navigate it — and so can every other view of the same server. What holds views in
 * is their origin (one per server) and that every document the origin can serve runs under a view's CSP. That is why
 * this script is inline (the view's policy allows inline scripts, as views need them) rather than a file of its own:
 * a script URL would be a second document on the origin to navigate a frame to, and with it a way out of the policy.
 */
const FRAME_SCRIPT = `'use strict';
(() => {
  const config = JSON.parse(document.getElementById('steward-frame').textContent);
  const HOST = config.host;
  const SANDBOX = 'ui/notifications/sandbox-';
  const inner = document.createElement('iframe');
  inner.setAttribute('sandbox', config.sandbox);
  if (config.allow) inner.setAttribute('allow', config.allow);
  inner.setAttribute('title', 'View');
  inner.setAttribute('referrerpolicy', 'no-referrer');
  document.body.appendChild(inner);
  let written = null;
  const methodOf = (m) => (m && typeof m === 'object' && typeof m.method === 'string' ? m.method : '');
  const theme = (t) => {
    if (t !== 'light' && t !== 'dark') return;
    document.documentElement.style.colorScheme = t;
    inner.style.colorScheme = t;
  };
  inner.addEventListener('load', () => {
    if (written !== null && inner.contentDocument !== written) {
      window.parent.postMessage({ jsonrpc: '2.0', method: SANDBOX + 'view-navigated', params: {} }, HOST);
    }
  });
  window.addEventListener('message', (event) => {
    const data = event.data;
    const method = methodOf(data);
    if (event.source === window.parent) {
      if (event.origin !== HOST) return;
      if (method === SANDBOX + 'resource-ready') {
        if (written !== null || !data.params || typeof data.params.html !== 'string') return;
        const doc = inner.contentDocument;
        written = doc;
        doc.open();
        doc.write(data.params.html);
        doc.close();
        return;
      }
      if (method.startsWith(SANDBOX)) return;
      if (method === 'ui/notifications/host-context-changed' && data.params) theme(data.params.theme);
      else if (data && data.result && data.result.hostContext) theme(data.result.hostContext.theme);
      if (inner.contentWindow) inner.contentWindow.postMessage(data, location.origin);
    } else if (event.source === inner.contentWindow && event.source !== null) {
      if (event.origin !== location.origin || method.startsWith(SANDBOX)) return;
      window.parent.postMessage(data, HOST);
    }
  });
  window.parent.postMessage({ jsonrpc: '2.0', method: SANDBOX + 'proxy-ready', params: {} }, HOST);
})();
`;

/** Text safe inside a <script type="application/json"> block: no "</script>" or comment can end it early. */
function jsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/** The proxy page itself: its settings in a JSON data block (which the CSP does not treat as script), then the relay. */
export function framePage(settings: { host: string; sandbox: string; allow: string }): string {
  return [
    '<!doctype html>',
    '<html>',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="color-scheme" content="light dark">',
    '<meta name="referrer" content="no-referrer">',
    '<title>View frame</title>',
    `<script type="application/json" id="steward-frame">${jsonForHtml(settings)}</script>`,
    '<style>html,body{margin:0;height:100%;overflow:hidden;background:transparent}iframe{display:block;border:0;width:100%;height:100%;background:transparent}</style>',
    '</head>',
    '<body>',
    `<script>${FRAME_SCRIPT}</script>`,
    '</body>',
    '</html>',
  ].join('\n');
}
