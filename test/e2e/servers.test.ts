// The servers screens end to end: the real renderer in Chromium, over browser mode, against the real host and real MCP servers.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openRig, type BrowserRig, type PageElement } from '../helpers/browser.js';
import { addApproved } from '../helpers/host.js';
import { DIST, EVERYTHING, FIXTURES, NODE } from '../helpers/paths.js';
import type { SandboxRunner } from '../../main/core/security/index.js';
import { startWebServer } from '../../main/web/server.js';

let rig: BrowserRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** Pids of live processes whose command line contains `marker`. */
function processesWith(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) pids.push(Number(entry));
    } catch {
      // The process exited while we looked.
    }
  }
  return pids;
}

function uniqueMarker(): string {
  return `--marker=${randomBytes(8).toString('hex')}`;
}

async function addLocalServer(page: Page, name: string, command: string, args: string[]): Promise<void> {
  await page.getByRole('button', { name: 'Add server' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a server' });
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog.getByLabel('Command', { exact: true }).fill(command);
  await dialog.getByLabel('Arguments', { exact: true }).fill(args.join('\n'));
}

async function submitAdd(page: Page): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Add a server' });
  await dialog.getByRole('button', { name: 'Add server' }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** Pastes text the way a user's clipboard would, so the page's paste handling runs. */
async function pasteInto(target: Locator, text: string): Promise<void> {
  await target.evaluate((el: PageElement, pasted) => {
    // The Node tsconfig has no DOM globals; the page's own window has them.
    const win = el.ownerDocument.defaultView!;
    const data = new win.DataTransfer();
    data.setData('text/plain', pasted);
    el.dispatchEvent(new win.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/** Says the OS sandbox is available, so consent shows an enforced plan; the tests using it never approve a launch. */
const sandboxThatNeverWraps: SandboxRunner = {
  support: () => Promise.resolve({ kind: 'available' }),
  wrap: () => Promise.reject(new Error('this test never approves a launch')),
  dispose: () => Promise.resolve(),
};

const row = (page: Page, name: string) => page.locator(`tbody[data-server="${name}"]`);
const consentDialog = (page: Page, name: string) => page.getByRole('dialog', { name: `Allow “${name}” to run on this computer?` });

/** Connects a raw socket the way a foreign page or script would; reports whether the host let it in. */
function trySocket(url: string, origin: string): Promise<{ opened: boolean; status?: number; listed?: boolean }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { origin });
    ws.on('unexpected-response', (req, res) => {
      resolve({ opened: false, status: res.statusCode ?? 0 });
      req.destroy();
    });
    ws.on('error', () => resolve({ opened: false }));
    ws.on('open', () => ws.send(JSON.stringify({ type: 'call', id: 1, channel: 'servers:list', payload: {} })));
    ws.on('message', (data) => {
      const frame = JSON.parse((data as Buffer).toString('utf8')) as { type: string; id?: number; outcome?: { ok: boolean } };
      if (frame.type !== 'result' || frame.id !== 1) return;
      resolve({ opened: true, listed: frame.outcome?.ok === true });
      ws.close();
    });
  });
}

describe('servers in the browser', () => {
  it('adds a local server, asks consent with the exact command, calls a tool, shows the log and stops it', async () => {
    rig = await openRig({ sampleIntervalMs: 100 });
    const { page } = rig;
    const marker = uniqueMarker();

    await page.getByRole('heading', { name: 'No servers yet' }).waitFor();
    await rig.shot('servers-empty');

    await addLocalServer(page, 'everything', NODE, [EVERYTHING, 'stdio', marker]);
    const add = page.getByRole('dialog', { name: 'Add a server' });
    await add.getByRole('button', { name: 'Add variable' }).click();
    await pasteInto(add.getByLabel('variable 1 name'), 'GREETING_TOKEN=s3cret-value\nGREETING_STYLE=warm-value-42');
    expect(await add.getByLabel('Value of GREETING_TOKEN').inputValue()).toBe('s3cret-value');
    expect(await add.getByLabel('Value of GREETING_STYLE').getAttribute('type')).toBe('password');
    await rig.shot('add-server-local');
    await submitAdd(page);
    await row(page, 'everything').locator('[data-status="stopped"]').waitFor();

    await row(page, 'everything').getByRole('button', { name: 'Start “everything”' }).click();
    const consent = consentDialog(page, 'everything');
    await consent.waitFor();
    const commandLine = await consent.getByTestId('command-line').textContent();
    expect(commandLine).toContain(EVERYTHING);
    expect(commandLine).toContain(NODE);
    expect(commandLine).toContain(marker);
    const consentText = await consent.textContent();
    expect(consentText).toContain('runs this program on your computer');
    expect(consentText).toContain('GREETING_TOKEN');
    expect(consentText).toContain('GREETING_STYLE');
    expect(consentText).not.toContain('s3cret-value');
    expect(consentText).not.toContain('warm-value-42');
    expect(processesWith(marker)).toEqual([]);
    await rig.shot('consent');

    await consent.getByRole('button', { name: 'Allow and start' }).click();
    await consent.waitFor({ state: 'detached' });
    await row(page, 'everything').locator('[data-status="running"]').waitFor();
    const running = rig.t.host.servers.list().find((s) => s.name === 'everything');
    expect(running?.pid).toBeGreaterThan(0);
    expect(processesWith(marker)).toContain(running!.pid);

    await rig.t.host.servers.add({ name: 'issues (remote)', config: { transport: 'http', url: 'http://127.0.0.1:9/mcp', headers: {} } });
    await row(page, 'issues (remote)').waitFor();
    const broken = await addApproved(rig.t.host, 'broken', NODE, [join(FIXTURES, 'exit-now.mjs')]);
    await broken.approve();
    // It exits before it starts: not restarted (it would fail the same way), the failure said in one line, its stderr kept.
    await row(page, 'broken').locator('[data-status="error"]').waitFor();
    await row(page, 'broken').getByText('Exited before it started: it exited with code 2').waitFor();
    await row(page, 'broken')
      .getByRole('button', { name: /Show stderr/ })
      .click();
    await row(page, 'broken').locator('.stderr-tail').getByText('fatal: missing configuration file').waitFor();
    await row(page, 'everything')
      .locator('.col-memory', { hasText: /\d MB$/ })
      .waitFor();
    await rig.shot('servers-list');

    await page.getByRole('link', { name: 'everything', exact: true }).click();
    const tools = page.getByRole('list', { name: 'Tools' });
    await tools.locator('.pick-name', { hasText: /^echo$/ }).click();
    await page.getByLabel('Arguments (JSON)').fill('{"message":"hello from the browser"}');
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    const result = page.getByRole('region', { name: 'Call result' });
    await result.getByText('hello from the browser').waitFor();
    expect(await result.getAttribute('data-is-error')).toBe('false');
    await rig.shot('server-detail-tools');

    await tools.locator('.pick-name', { hasText: /^trigger-long-running-operation$/ }).click();
    const args = page.getByLabel('Arguments (JSON)');
    expect(JSON.parse(await args.inputValue())).toEqual({ duration: 10, steps: 5 });
    await args.fill('{"duration": 60, "steps": 60}');
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    await page.getByRole('status').getByText('1 of 60').waitFor();
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await page.getByText('Cancelled.', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Call', exact: true }).isEnabled()).toBe(true);

    await page.getByRole('tab', { name: 'Log' }).click();
    await page.locator('.log-row[data-stream="stderr"]', { hasText: 'Starting default (STDIO) server' }).waitFor();
    await rig.shot('server-detail-log');

    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Shared folders' }).waitFor();
    await rig.shot('server-settings');

    await page.getByRole('button', { name: 'Stop “everything”' }).click();
    await page.locator('.screen-title [data-status="stopped"]').waitFor();
    expect(rig.t.host.servers.get(running!.id).pid).toBeNull();
    await expect.poll(() => processesWith(marker)).toEqual([]);
    expect(rig.errors).toEqual([]);
  });

  it('runs nothing when consent is denied', async () => {
    rig = await openRig();
    const { page } = rig;
    const marker = uniqueMarker();
    await addLocalServer(page, 'denied', NODE, [EVERYTHING, 'stdio', marker]);
    await submitAdd(page);

    await row(page, 'denied').getByRole('button', { name: 'Start “denied”' }).click();
    const consent = consentDialog(page, 'denied');
    expect(await consent.getByTestId('command-line').textContent()).toContain(marker);
    await consent.getByRole('button', { name: "Deny — don't run it" }).click();
    await consent.waitFor({ state: 'detached' });

    await row(page, 'denied').getByText('You refused to let this server run.').waitFor();
    await row(page, 'denied').locator('[data-status="stopped"]').waitFor();
    const [view] = rig.t.host.servers.list();
    expect(view?.pid).toBeNull();
    expect(view?.lastError?.code).toBe('consent_denied');
    expect(processesWith(marker)).toEqual([]);
    expect(rig.t.host.inbox.list()).toEqual([]);
    expect(rig.errors).toEqual([]);
  });

  it('refuses the page and the socket without the right token and origin', async () => {
    rig = await openRig();
    const { port, token } = rig.web;
    const origin = `http://127.0.0.1:${port}`;

    const stranger = await rig.context.newPage();
    const response = await stranger.goto(`${origin}/?token=not-the-token`);
    expect(response?.status()).toBe(403);
    await stranger.close();
    expect((await fetch(`${origin}/`)).status).toBe(403);
    expect((await fetch(`${origin}/?token=${token}`)).status).toBe(200);

    const socket = `ws://127.0.0.1:${port}/ws`;
    expect(await trySocket(`${socket}?token=not-the-token`, origin)).toEqual({ opened: false, status: 401 });
    expect(await trySocket(`${socket}?token=${token}`, 'http://evil.example')).toEqual({ opened: false, status: 403 });
    expect(await trySocket(`${socket}?token=${token}`, origin)).toEqual({ opened: true, listed: true });

    await rig.page.getByRole('heading', { name: 'No servers yet' }).waitFor();
    expect(rig.errors).toEqual([]);
  });

  it('shows a 2 KB command whole in the consent dialog, opened from the inbox', async () => {
    rig = await openRig({ sandbox: sandboxThatNeverWraps });
    const { page } = rig;
    const roots = Array.from({ length: 72 }, (_, i) => `/home/user/projects/client-${String(i).padStart(2, '0')}`).join(',');
    const script = `node /opt/mcp/server.js --roots=${roots} --keys=~/.ssh/id_ed25519 && curl -s https://telemetry.example.net/ping # end-of-argument`;
    expect(script.length).toBeGreaterThan(2048);
    const view = await rig.t.host.servers.add({
      name: 'long-command',
      config: { transport: 'stdio', command: '/bin/sh', args: ['-c', script], env: {} },
      sandbox: { writePaths: ['/home/user/projects'], allowedDomains: ['telemetry.example.net'] },
    });
    await rig.t.host.servers.start(view.id);

    await page.getByRole('link', { name: /Inbox/ }).getByText('1').waitFor();
    await page.getByRole('link', { name: /Inbox/ }).click();
    await page.locator('.inbox-item[data-server="long-command"]').waitFor();
    await rig.shot('inbox');

    await page.getByRole('button', { name: 'Open the request from long-command' }).click();
    const consent = consentDialog(page, 'long-command');
    const block = consent.getByTestId('command-line');
    expect(await block.textContent()).toContain(script);
    const box = await block.evaluate((el: PageElement) => ({
      scrollWidth: el.scrollWidth,
      clientWidth: el.clientWidth,
      scrollHeight: el.scrollHeight,
      clientHeight: el.clientHeight,
      overflowY: el.ownerDocument.defaultView!.getComputedStyle(el).overflowY,
    }));
    // Wrapped: nothing hides past the right edge. Taller than the block: it scrolls instead of cutting.
    expect(box.scrollWidth).toBeLessThanOrEqual(box.clientWidth);
    expect(box.scrollHeight).toBeGreaterThan(box.clientHeight);
    expect(box.overflowY).toBe('auto');
    expect(await consent.locator('[data-severity="danger"]').textContent()).toContain('SSH');
    expect(await consent.locator('[data-sandbox]').getAttribute('data-sandbox')).toBe('enforced');
    await consent.getByText('/home/user/projects', { exact: true }).waitFor();
    await consent.getByText('telemetry.example.net', { exact: true }).waitFor();
    await consent.getByText(/Hidden from it: \d+ secret locations/).click();
    await consent.getByText(/\/\.ssh$/).waitFor();
    await consent.locator('.modal-body').evaluate((el: PageElement) => el.scrollTo(0, 0));
    await rig.shot('consent-long-command');

    await consent.getByRole('button', { name: "Deny — don't run it" }).click();
    await consent.waitFor({ state: 'detached' });
    await page.getByRole('heading', { name: 'Nothing waiting for you' }).waitFor();
    expect(rig.t.host.servers.get(view.id).pid).toBeNull();
    expect(rig.errors).toEqual([]);
  });

  it('shows the new launch when it changed while the consent dialog was open', async () => {
    rig = await openRig();
    const { page } = rig;
    const [first, second, third] = [uniqueMarker(), uniqueMarker(), uniqueMarker()];
    const config = (marker: string) => ({ transport: 'stdio' as const, command: NODE, args: [EVERYTHING, 'stdio', marker], env: {} });
    const view = await rig.t.host.servers.add({ name: 'changing', config: config(first) });

    await row(page, 'changing').getByRole('button', { name: 'Start “changing”' }).click();
    const consent = consentDialog(page, 'changing');
    await consent.getByTestId('command-line').getByText(first).waitFor();
    await rig.t.host.servers.update(view.id, { config: config(second) });
    await consent.getByRole('button', { name: 'Allow and start' }).click();

    await consent.getByText('The launch changed while this dialog was open.').waitFor();
    await consent.getByTestId('command-line').getByText(second).waitFor();
    expect(rig.t.host.servers.get(view.id).pid).toBeNull();
    await consent.getByRole('button', { name: "Deny — don't run it" }).click();
    await consent.waitFor({ state: 'detached' });

    await rig.t.host.servers.update(view.id, { config: config(third) });
    await row(page, 'changing').getByRole('button', { name: 'Start “changing”' }).click();
    await consent.getByText(/This launch is different from the one you decided on/).waitFor();
    await consent.getByTestId('command-line').getByText(third).waitFor();
    await consent.getByRole('button', { name: "Deny — don't run it" }).click();
    await consent.waitFor({ state: 'detached' });
    expect([first, second, third].flatMap(processesWith)).toEqual([]);
    expect(rig.errors).toEqual([]);
  });

  it('shows a banner while the connection is lost and catches up once it is back', async () => {
    rig = await openRig();
    const { page, web } = rig;
    await page.getByRole('heading', { name: 'No servers yet' }).waitFor();

    await web.close();
    const banner = page.getByRole('status').filter({ hasText: 'Lost the connection to Steward' });
    await banner.waitFor();
    // Changed while the socket was down: no event reaches the page, only the reload after reconnecting.
    await rig.t.host.servers.add({ name: 'added-offline', config: { transport: 'http', url: 'http://127.0.0.1:9/mcp', headers: {} } });
    const again = await startWebServer({ host: rig.t.host, staticDir: join(DIST, 'renderer'), port: web.port, token: web.token });
    try {
      await banner.waitFor({ state: 'detached' });
      await row(page, 'added-offline').waitFor();
    } finally {
      await again.close();
    }
    // While the server was away, Chromium reports each refused reconnect; nothing else may fail.
    expect(rig.errors.filter((e) => !/WebSocket connection to .* failed/.test(e))).toEqual([]);
  });

  it('shows the host’s validation errors next to the Add form', async () => {
    rig = await openRig();
    const { page } = rig;
    await rig.t.host.servers.add({ name: 'taken', config: { transport: 'http', url: 'http://127.0.0.1:9/mcp', headers: {} } });

    await page.getByRole('button', { name: 'Add server' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a server' });
    await dialog.getByRole('tab', { name: 'Remote (HTTP)' }).click();
    await dialog.getByLabel('Name', { exact: true }).fill('files over ftp');
    await dialog.getByLabel('URL').fill('ftp://files.example.com/mcp');
    await dialog.getByRole('button', { name: 'Add server' }).click();
    expect(await dialog.getByRole('alert').textContent()).toMatch(/Remote servers are reached over http:\/\/ or https:\/\/\.$/);

    await dialog.getByLabel('Name', { exact: true }).fill('taken');
    await dialog.getByLabel('URL').fill('https://files.example.com/mcp');
    await dialog.getByRole('button', { name: 'Add server' }).click();
    await dialog.getByRole('alert').getByText('A server named "taken" already exists.').waitFor();
    expect(rig.t.host.servers.list().map((s) => s.name)).toEqual(['taken']);
    expect(rig.errors).toEqual([]);
  });

  it('imports a Claude Desktop config and reports what was added and skipped', async () => {
    rig = await openRig();
    const { page } = rig;
    const config = {
      mcpServers: {
        filesystem: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'] },
        github: {
          command: 'docker',
          args: ['run', '-i', '--rm', '-e', 'GITHUB_TOKEN', 'ghcr.io/github/github-mcp-server'],
          env: { GITHUB_TOKEN: '${input:github_token}' },
        },
        legacy: { type: 'sse', url: 'https://mcp.example.com/sse' },
        notes: { url: 'https://mcp.example.com/mcp' },
      },
    };
    await page.getByRole('button', { name: 'Import from Claude Desktop, VS Code or Cursor' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a server' });
    await dialog.getByLabel('Config file contents').fill(JSON.stringify(config, null, 2));
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();

    const report = dialog.getByLabel('Import report');
    await report.getByText('Added (2)').waitFor();
    const text = await report.textContent();
    expect(text).toContain('Skipped (2)');
    expect(text).toContain('needs_input');
    expect(text).toContain('not_supported');
    await rig.shot('add-server-import');

    await dialog.getByRole('button', { name: 'Done' }).click();
    await row(page, 'filesystem').waitFor();
    await row(page, 'notes').waitFor();
    expect(
      rig.t.host.servers
        .list()
        .map((s) => s.name)
        .sort(),
    ).toEqual(['filesystem', 'notes']);
    expect(rig.errors).toEqual([]);
  });

  it('lists consent and launch events in the audit screen, filtered and paged', async () => {
    rig = await openRig();
    const { page } = rig;
    await page.getByRole('link', { name: /Inbox/ }).click();
    await page.getByRole('heading', { name: 'Nothing waiting for you' }).waitFor();

    await rig.t.host.servers.add({ name: 'audited', config: { transport: 'stdio', command: NODE, args: [EVERYTHING, 'stdio', uniqueMarker()], env: {} } });
    await page.getByRole('link', { name: /Servers/ }).click();
    await row(page, 'audited').getByRole('button', { name: 'Start “audited”' }).click();
    const consent = consentDialog(page, 'audited');
    await consent.getByRole('button', { name: 'Allow and start' }).click();
    await row(page, 'audited').locator('[data-status="running"]').waitFor();

    await page.getByRole('link', { name: /Audit/ }).click();
    const table = page.locator('.audit-table');
    await table.locator('tr[data-kind="consent.approved"]').waitFor();
    await table.locator('tr[data-kind="server.launched"]').waitFor();
    expect(await table.locator('tr[data-kind="consent.approved"]').textContent()).toContain('audited');
    await rig.shot('audit');

    await page.getByLabel('Kind').selectOption('consent.approved');
    await expect
      .poll(() => table.locator('tbody tr').evaluateAll((rows: PageElement[]) => rows.map((r) => r.getAttribute('data-kind'))))
      .toEqual(['consent.approved']);

    for (let i = 0; i < 120; i++) rig.t.host.audit.record('server.updated', { actor: 'host', summary: `Filler ${i}` });
    await page.getByLabel('Kind').selectOption('');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(100);
    await page.getByRole('button', { name: 'Load older' }).click();
    await page.getByText('That is the beginning of the record.').waitFor();
    expect(await table.locator('tbody tr').count()).toBeGreaterThan(120);
    expect(rig.errors).toEqual([]);
  });
});
