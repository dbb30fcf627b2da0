// Opens a URL in the user's default browser (xdg-open, open, start) without a shell.
import open from 'open';
import type { BrowserOpener } from '../ports.js';

export const systemBrowser: BrowserOpener = {
  async open(url) {
    const child = await open(url, { wait: false });
    child.on('error', () => undefined);
    child.unref();
  },
};
