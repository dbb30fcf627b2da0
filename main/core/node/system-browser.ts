// Opens a URL in the user's default browser (xdg-open, open, start) without a shell. The opener is loaded on first use:
// most processes (every CLI command) never open a browser.
import type { BrowserOpener } from '../ports.js';

export const systemBrowser: BrowserOpener = {
  async open(url) {
    const { default: open } = await import('open');
    const child = await open(url, { wait: false });
    child.on('error', () => undefined);
    child.unref();
  },
};
