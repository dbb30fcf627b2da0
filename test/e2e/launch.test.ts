// Launching in the browser, for real: a registry server added with npx shows its download step and pinned package on the
// consent screen and runs sandboxed; a failed start shows one line with its fix, and the fix goes through consent with the
// change shown; loader variables are flagged with their values and a changed one asks again; a bundle dropped on the
// window shows its install screen (a folder setting typed: a tab has no file chooser). Screenshots of each go to test-results/screens.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { createOsSandbox } from '../../main/core/security/index.js';
import { openRig, tempDir, type BrowserRig } from '../helpers/browser.js';
import { FIXTURES, NODE } from '../helpers/paths.js';
import { zipOf } from '../helpers/zip.js';

let rig: BrowserRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const row = (page: Page, name: string) => page.locator(`tbody[data-server="${name}"]`);
const consentDialog = (page: Page, name: string) => page.getByRole('dialog', { name: `Allow “${name}” to run on this computer?` });

async function sandboxedRig() {
  const home = tempDir('steward-home-');
  rig = await openRig({ sandbox: createOsSandbox(), homeDir: home, env: { ...process.env, HOME: home }, connectTimeoutMs: 60_000 });
  return { rig, home, page: rig.page };
}

describe('launching in the browser', () => {
  it('adds a registry server with npx: the consent screen shows the download step and the pinned package, then it runs', async () => {
    const { rig, page } = await sandboxedRig();
    await page.getByRole('button', { name: 'Add server' }).click();
    const add = page.getByRole('dialog', { name: 'Add a server' });
    await add.getByLabel('Name', { exact: true }).fill('everything');
    await add.getByLabel('Command', { exact: true }).fill('npx');
    await add.getByLabel('Arguments', { exact: true }).fill(['-y', '@modelcontextprotocol/server-everything@2026.8.31', 'stdio'].join('\n'));
    await add.getByRole('button', { name: 'Add server' }).click();
    await add.waitFor({ state: 'detached' });

    await row(page, 'everything').getByRole('button', { name: 'Start “everything”' }).click();
    const consent = consentDialog(page, 'everything');
    await consent.getByTestId('download-line').waitFor();
    expect(await consent.getByTestId('download-line').textContent()).toContain('@modelcontextprotocol/server-everything@2026.8.31');
    await consent.getByText('npx: downloaded once, then run without network').waitFor();
    await consent.getByText('network only to registry.npmjs.org', { exact: false }).waitFor();
    expect(await consent.getByTestId('command-line').textContent()).toMatch(/node .*server-everything\/dist\/index\.js stdio$/);
    await consent.getByRole('list', { name: 'Every path it may write' }).getByText('the sandbox itself').waitFor();
    await rig.shot('consent-download-step');

    await consent.getByRole('button', { name: 'Allow and start' }).click();
    await consent.waitFor({ state: 'detached', timeout: 120_000 });
    await row(page, 'everything').locator('[data-status="running"]').waitFor({ timeout: 120_000 });
    const server = rig.t.host.servers.list().find((s) => s.name === 'everything')!;
    const echoed = await rig.t.host.tools.call({ serverId: server.id, name: 'echo', arguments: { message: 'from the browser' } });
    expect(JSON.stringify(echoed.content)).toContain('from the browser');
  }, 240_000);

  it('a failed start shows one line with its fix; the fix asks consent again, showing what changed', async () => {
    const { rig, page } = await sandboxedRig();
    const view = await rig.t.host.servers.add({
      name: 'reacher',
      config: { transport: 'stdio', command: NODE, args: [join(FIXTURES, 'start-probe.mjs'), '--connect', 'blocked.example.net:443'], env: {} },
    });
    const request = await rig.t.host.servers.consentRequest(view.id);
    await rig.t.host.servers.decideConsent(view.id, request.spec.hash, 'approve', 'user');
    const failed = row(page, 'reacher');
    await failed.locator('[data-status="error"]').waitFor();
    await failed.getByText('Blocked: blocked.example.net — Allow and restart').waitFor();
    await failed.getByText('steward servers grant reacher --allow-domain blocked.example.net').waitFor();
    await rig.shot('failure-line-with-fix');

    await failed.getByRole('button', { name: 'Allow and restart' }).click();
    const consent = consentDialog(page, 'reacher');
    await consent.getByRole('region', { name: 'What changed' }).getByRole('row', { name: 'Network — blocked.example.net' }).waitFor();
    await rig.shot('consent-after-fix');
    expect(rig.t.host.servers.get(view.id).sandbox.allowedDomains).toEqual(['blocked.example.net']);
    await consent.getByRole('button', { name: "Deny — don't run it" }).click();
    await consent.waitFor({ state: 'detached' });
  }, 120_000);

  it('the consent screen shows the variables that decide what code runs with their values, never a secret, and a changed value asks again', async () => {
    const { rig, page } = await sandboxedRig();
    const env = { NODE_OPTIONS: '--max-old-space-size=256', PYTHONPATH: '/opt/lib', API_TOKEN: 'tok-never-shown-111' };
    const view = await rig.t.host.servers.add({
      name: 'loaders',
      config: { transport: 'stdio', command: NODE, args: [join(FIXTURES, 'probe-server.mjs')], env },
    });
    await row(page, 'loaders').getByRole('button', { name: 'Start “loaders”' }).click();
    const consent = consentDialog(page, 'loaders');
    const flagged = consent.getByRole('list', { name: 'Variables that decide what code runs' });
    await flagged.getByText('NODE_OPTIONS=--max-old-space-size=256').waitFor();
    await flagged.getByText('PYTHONPATH=/opt/lib').waitFor();
    expect(await flagged.getByText('API_TOKEN', { exact: false }).count()).toBe(0);
    expect(await page.content()).not.toContain('tok-never-shown');
    await consent.getByRole('button', { name: 'Allow and start' }).click();
    await row(page, 'loaders').locator('[data-status="running"]').waitFor({ timeout: 60_000 });
    await rig.t.host.servers.stop(view.id);

    // A hostile edit of the config: one loader value changed to preload a script. Nothing runs until consent again.
    const changed = { ...env, NODE_OPTIONS: '--require /tmp/evil.js' };
    await rig.t.host.servers.update(view.id, { config: { transport: 'stdio', command: NODE, args: [join(FIXTURES, 'probe-server.mjs')], env: changed } });
    await row(page, 'loaders').getByRole('button', { name: 'Start “loaders”' }).click();
    await consent.getByRole('region', { name: 'What changed' }).getByRole('row', { name: 'Variable NODE_OPTIONS value changed (not shown)' }).waitFor();
    await consent.getByRole('list', { name: 'Variables that decide what code runs' }).getByText('NODE_OPTIONS=--require /tmp/evil.js').waitFor();
    await rig.shot('consent-loader-variables');
    expect(rig.t.host.servers.get(view.id).pid).toBeNull();
    await consent.getByRole('button', { name: "Deny — don't run it" }).click();
    await consent.waitFor({ state: 'detached' });
  }, 120_000);

  it('a bundle dropped on the window shows its install screen, installs with its settings, and asks consent', async () => {
    const { rig, page } = await sandboxedRig();
    const manifest = {
      manifest_version: '0.3',
      name: 'hello-bundle',
      display_name: 'Hello',
      version: '1.2.0',
      description: 'Answers hello, and shows what it can see.',
      author: { name: 'Ada Lovelace', email: 'ada@example.com' },
      server: {
        type: 'node',
        entry_point: 'server/index.mjs',
        mcp_config: { command: 'node', args: ['${__dirname}/server/index.mjs'], env: { GREETING: '${user_config.greeting}' } },
      },
      tools: [{ name: 'env', description: 'Shows its environment' }],
      privacy_policies: ['https://example.com/privacy'],
      user_config: {
        greeting: { type: 'string', title: 'Greeting', description: 'What it says', required: true, default: 'hello' },
        token: { type: 'string', title: 'Token', description: 'A token for its service', sensitive: true, required: false },
        notes: { type: 'directory', title: 'Notes folder', description: 'Where it keeps notes', required: false },
      },
    };
    const bytes = zipOf([
      { name: 'manifest.json', data: JSON.stringify(manifest) },
      { name: 'server/index.mjs', data: `await import(${JSON.stringify(join(FIXTURES, 'probe-server.mjs'))});\n` },
    ]);
    // Drop the file the way a file manager would (the script runs in the page, where DataTransfer and File exist).
    const dropped = await page.evaluateHandle(
      `(() => { const d = new DataTransfer(); d.items.add(new File([Uint8Array.from(atob('${bytes.toString('base64')}'), (c) => c.charCodeAt(0))], 'hello.mcpb')); return d; })()`,
    );
    await page.locator('.screen-body').dispatchEvent('drop', { dataTransfer: dropped });
    const add = page.getByRole('dialog', { name: 'Add a server' });
    const form = add.getByRole('form', { name: 'Install bundle' });
    await form.getByText('Hello').first().waitFor();
    await form.getByText('by Ada Lovelace', { exact: false }).waitFor();
    expect(await form.locator('[data-signature]').getAttribute('data-signature')).toBe('unsigned');
    await form.getByRole('list', { name: 'Tools' }).getByText('env', { exact: true }).waitFor();
    await form.getByRole('list', { name: 'Privacy policies' }).getByText('https://example.com/privacy').waitFor();
    expect(await form.getByLabel('Greeting').inputValue()).toBe('hello');
    expect(await form.getByLabel('Token').getAttribute('type')).toBe('password');
    await form.getByLabel('Token').fill('tok-from-the-browser');
    // A browser tab cannot hand over a full path: the folder is typed, and the desktop app's chooser is not offered.
    await form.getByText('The full path of a folder', { exact: false }).waitFor();
    expect(await form.getByRole('button', { name: /Choose a (folder|file)/ }).count()).toBe(0);
    await rig.shot('bundle-install');

    await form.getByRole('button', { name: 'Install, then review its launch' }).click();
    const consent = consentDialog(page, 'Hello');
    await consent.waitFor();
    await rig.shot('bundle-consent');
    await consent.getByRole('button', { name: 'Allow and start' }).click();
    await row(page, 'Hello').locator('[data-status="running"]').waitFor({ timeout: 60_000 });
    expect(rig.t.host.bundles.list()).toMatchObject([{ name: 'hello-bundle', version: '1.2.0', enabled: true }]);
  }, 120_000);
});
