// A hostile MCP App view in real Chromium through browser mode. It tries: navigating Steward's page away, reading the
// page above it (its document, its URL, the contract bridge, the token), fetching and beaconing an origin it never
// declared, opening Steward's own socket, opening windows, calling another server's tool and a tool hidden from views,
// a javascript: link, a method views may not use, a malformed call, posing as Steward's page and as its own proxy, and a
// flood of 3000 requests and 2000 log lines. Each is refused (by the browser's sandbox and CSP, or by the host), the
// host's refusals are in the server's log and the audit record, and Steward goes on working. Also: a view that
// declares origins (some refused), a view sent with the wrong content type, and a view that tries to navigate itself away.
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openRig, type BrowserRig } from '../helpers/browser.js';
import { addServer, appView, callTool, logLine, openTool, reference, viewFrame, viewReady } from '../helpers/apps.js';
import { FIXTURES } from '../helpers/paths.js';

interface Listener {
  url: string;
  hits: string[];
  close(): Promise<void>;
}

/** A local HTTP server that writes down every request; `cors` lets a view's fetch read the answer. */
async function listener(cors: boolean): Promise<Listener> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/plain', ...(cors ? { 'access-control-allow-origin': '*' } : {}) }).end('hello');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let rig: BrowserRig | undefined;
const listeners: Listener[] = [];
afterEach(async () => {
  await rig?.close();
  rig = undefined;
  for (const l of listeners.splice(0)) await l.close();
});

async function setup() {
  rig = await openRig();
  const canary = await listener(false);
  const declared = await listener(true);
  listeners.push(canary, declared);
  const vanilla = await addServer(rig, 'vanilla', [reference('basic-vanillajs'), '--stdio']);
  const fixture = await addServer(rig, 'fixture', [
    join(FIXTURES, 'apps-server.mjs'),
    `--canary=${canary.url}`,
    `--declared=${declared.url}`,
    `--steward-ws=ws://127.0.0.1:${rig.web.port}/ws`,
    '--other-tool=get-time',
  ]);
  return { r: rig, canary, declared, vanilla, fixture };
}

type Results = Record<string, unknown>;

async function resultsOf(view: ReturnType<typeof appView>): Promise<Results> {
  const text = await viewFrame(view).locator('#results').textContent({ timeout: 5000 });
  return JSON.parse(text ?? '{}') as Results;
}

describe('a hostile view', () => {
  it('is refused everything it tries, each refusal on record, and Steward goes on working', async () => {
    const { r, canary, fixture } = await setup();
    const { page, context, web } = r;
    await openTool(page, 'fixture', 'hostile');
    await callTool(page);
    const view = appView(page, 'hostile');
    await viewReady(view);
    await expect.poll(async () => (await resultsOf(view)).done, { timeout: 120_000, interval: 500 }).toBe(true);
    const results = await resultsOf(view);

    // The browser's sandbox: Steward's page is still Steward's, unread, and no window opened.
    expect(new URL(page.url()).origin).toBe(new URL(web.url).origin);
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    expect(results.readTop).toMatch(/^blocked: SecurityError/);
    expect(results.readTopUrl).toMatch(/^blocked: SecurityError/);
    expect(results.readBridge).toMatch(/^blocked: SecurityError/);
    expect(JSON.stringify(results.visibleStrings)).not.toContain(web.token);
    expect(results.openWindow).toMatch(/^blocked/);
    expect(context.pages()).toHaveLength(1);
    // The CSP: nothing reached the origin it never declared, nor Steward's socket.
    expect(results.fetchUndeclared).toMatch(/^blocked: TypeError/);
    expect(results.imageBeacon).toBe('blocked');
    expect(results.stewardSocket).toMatch(/^blocked/);
    expect(canary.hits).toEqual([]);
    // The host: only its own server's tools open to views, only pages the gate allows, only methods views may use.
    expect(results.otherServerTool).toMatch(/refused: This server has no tool named "get-time"/);
    expect(results.modelOnlyTool).toMatch(/refused: The tool "model-only-tool" is not open to views/);
    expect(results.appOnlyTool).toBe('ok');
    expect(results.javascriptLink).toMatch(/refused: Steward will not open this address/);
    expect(r.t.opened).toEqual([]);
    expect(results.unknownMethod).toMatch(/refused: views may not send "steward\/servers:remove"/);
    // The bridge refuses a malformed call itself; the host still hears of it and logs it.
    expect(results.malformedCall).toMatch(/^refused: .*Invalid input/s);
    // A flood: every request answered, most refused, and once it stops the view is served again.
    const flood = results.flood as { sent: number; answered: number; refused: number };
    expect(flood.sent).toBe(3000);
    expect(flood.answered + flood.refused).toBe(3000);
    expect(flood.refused).toBeGreaterThan(2500);
    expect(results.afterFlood).toBe('ok');
    // Posing as Steward's page or as its own proxy did nothing: its document was not replaced, no server was removed.
    expect(await viewFrame(view).locator('#pwned').count()).toBe(0);
    expect(r.t.host.servers.list()).toHaveLength(2);

    // Each refusal is in the server's log (a flood as a few summary lines, not thousands) and in the audit record.
    const lines = await logLine(r, fixture, /refused steward\/servers:remove/);
    for (const pattern of [
      /refused tools\/call get-time: This server has no tool named "get-time"/,
      /refused tools\/call model-only-tool: The tool "model-only-tool" is not open to views/,
      /refused ui\/open-link javascript:alert/,
      /refused tools\/call: .*Invalid input/,
      new RegExp(`its CSP blocked ${canary.url.replace(/[.:/]/g, '\\$&')}\\S* \\(connect-src\\)`),
      /message\(s\) dropped: more than 300 a second/,
      /more like this within 2 s: refused tools\/call app-echo: more than 20 requests a second/,
    ]) {
      await logLine(r, fixture, pattern);
    }
    expect(lines.filter((l) => l.includes('flood line')).length).toBeLessThan(500);
    expect(r.t.host.audit.list({ kind: 'app.refused', limit: 100 }).length).toBeGreaterThan(3);
    await r.shot('apps-hostile-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await r.shot('apps-hostile-dark');

    // Steward still works: another screen, and another server's view, as usual.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /^Audit/ })
      .click();
    await page.getByRole('heading', { name: 'Audit' }).waitFor();
    await openTool(page, 'vanilla', 'get-time');
    await callTool(page);
    await viewReady(appView(page, 'get-time'));
    await viewFrame(appView(page, 'get-time')).getByRole('button', { name: 'Get Server Time' }).waitFor();
  }, 300_000);

  it('declared origins: the accepted one is reachable, the refused ones are named, and the rest stays blocked', async () => {
    const { r, canary, declared, fixture } = await setup();
    const { page } = r;
    await openTool(page, 'fixture', 'declared-view');
    await callTool(page);
    const view = appView(page, 'declared-view');
    await viewReady(view);
    await expect.poll(async () => (await resultsOf(view)).done, { timeout: 60_000 }).toBe(true);
    const results = await resultsOf(view);
    expect(results.fetchDeclared).toBe('status 200');
    expect(declared.hits).toEqual(['/hello']);
    expect(results.fetchUndeclared).toMatch(/^blocked/);
    expect(canary.hits).toEqual([]);
    await view.getByText('Sandbox and content security policy').click();
    const refused = view.getByRole('list', { name: 'Refused sources' });
    for (const value of ['https:', '*', 'https://ok.example; script-src *', "'unsafe-eval'", 'https://*.com']) {
      await refused.getByText(value, { exact: true }).waitFor();
    }
    expect(await view.getByLabel('Content-Security-Policy in force').textContent()).toContain(`connect-src ${declared.url};`);
    expect(await view.locator('iframe.app-view-frame').getAttribute('allow')).toBe('clipboard-write');
    await logLine(r, fixture, /left out of its CSP: connectDomains "https:"/);
    await r.shot('apps-declared-csp');

    // The wrong content type is no view at all, and says why.
    await openTool(page, 'fixture', 'wrong-mime');
    await callTool(page);
    const wrong = appView(page, 'wrong-mime');
    await wrong.getByText('Steward could not show this view.').waitFor();
    await wrong.getByText(/Steward shows only text\/html;profile=mcp-app/).waitFor();
  }, 180_000);

  it('a view that navigates its own frame away is closed at once, and that is on record', async () => {
    const { r, canary, fixture } = await setup();
    const { page } = r;
    await openTool(page, 'fixture', 'leaves');
    await callTool(page);
    const view = appView(page, 'leaves');
    await view.and(page.locator('[data-view-phase="closed"]')).waitFor({ timeout: 45_000 });
    await view.getByText('The view left its page, so Steward closed it.').waitFor();
    await logLine(r, fixture, /refused navigation: the view’s frame left its page/);
    // The proxy's frame-src covers its child's own navigations too: the page it tried to go to never got a request.
    await logLine(r, fixture, new RegExp(`its CSP blocked ${canary.url.replace(/[.:/]/g, '\\$&')}\\S* \\(frame-src\\)`));
    expect(canary.hits).toEqual([]);
  }, 120_000);
});
