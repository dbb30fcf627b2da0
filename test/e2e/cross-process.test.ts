// Browser mode beside real `steward` commands on the same data folder: what a command changes shows in the open page
// without a reload (a server added, a model address, a policy), and a server the command runs is marked as running there.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openRig, type BrowserRig } from '../helpers/browser.js';
import { steward, stewardChild, exitOf } from '../helpers/cli.js';
import { FIXTURES, NODE } from '../helpers/paths.js';

let rig: BrowserRig | undefined;
const children: Array<ReturnType<typeof stewardChild>> = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    child.kill('SIGKILL');
    await exitOf(child);
  }
  await rig?.close();
  rig = undefined;
});

describe('changes made by a command show in an open page', () => {
  it('a server added on the command line appears in the list with no reload', async () => {
    rig = await openRig();
    const home = join(rig.t.dir, 'data');
    await rig.page.getByRole('heading', { name: 'Servers', exact: true }).waitFor();
    const run = await steward(home, ['servers', 'add', 'added-elsewhere', '--url', 'http://127.0.0.1:9/mcp']);
    expect(run.code).toBe(0);
    // The change feed notices the write on its next tick (FEED_INTERVAL_MS in cross-process.ts) and the page is
    // told; how fast is the bench's to measure, so a busy machine gets a generous wait here rather than a flake.
    await rig.page.locator('tbody[data-server="added-elsewhere"]').waitFor({ timeout: 20_000 });
    await rig.shot('cross-process-server-added');
    expect(rig.errors).toEqual([]);
  });

  it('a server a command runs in the foreground is shown as also running there; the model address follows a command', async () => {
    rig = await openRig();
    const home = join(rig.t.dir, 'data');
    expect((await steward(home, ['servers', 'add', 'fg', '--no-sandbox', '--', NODE, join(FIXTURES, 'probe-server.mjs')])).code).toBe(0);
    expect((await steward(home, ['consent', 'approve', 'fg', '--yes'])).code).toBe(0);
    const foreground = stewardChild(home, ['servers', 'start', 'fg']);
    children.push(foreground);
    const row = rig.page.locator('tbody[data-server="fg"]');
    await row.getByText(/Also running in a steward command \(pid \d+\)/).waitFor({ timeout: 15_000 });
    await rig.shot('cross-process-running-elsewhere');

    await rig.page.goto(`${rig.web.url}#/settings`);
    const address = rig.page.getByLabel('API address');
    await address.waitFor();
    expect((await steward(home, ['models', 'set', '--base-url', 'https://models.example.test'])).code).toBe(0);
    await expect.poll(() => address.inputValue(), { timeout: 5000 }).toBe('https://models.example.test/');
    expect(rig.errors).toEqual([]);
  });
});
