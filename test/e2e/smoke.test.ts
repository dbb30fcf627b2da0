// Browser mode end to end: the real renderer in Chromium, over the WebSocket, against the real host core.
import { afterEach, describe, expect, it } from 'vitest';
import { openRig, type BrowserRig } from '../helpers/browser.js';

let rig: BrowserRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('browser mode', () => {
  it('renders the server list from the host', async () => {
    rig = await openRig();
    await rig.t.host.servers.add({ name: 'listed-server', config: { transport: 'http', url: 'http://127.0.0.1:9/mcp', headers: {} } });
    await rig.page.reload();
    await rig.page.getByText('listed-server').waitFor();
    expect(rig.errors).toEqual([]);
  });
});
