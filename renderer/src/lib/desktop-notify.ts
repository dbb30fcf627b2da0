// Desktop notifications from a browser tab. The Electron shell has the host raise its own, so there these do nothing.
import { isBrowserMode } from './steward.js';

function available(): boolean {
  return isBrowserMode() && typeof Notification !== 'undefined';
}

/** Asks once; browsers only ask during a click, so call it before the click handler awaits anything. */
export function askToNotify(): void {
  if (available() && Notification.permission === 'default') void Notification.requestPermission().catch(() => undefined);
}

export function notifyDesktop(title: string, body: string, tag: string, onClick: () => void): void {
  if (!available() || Notification.permission !== 'granted') return;
  try {
    const notification = new Notification(title, { body, tag });
    notification.onclick = () => {
      window.focus();
      onClick();
      notification.close();
    };
  } catch {
    // Some browsers only let a service worker show notifications; the in-app toast has said it already.
  }
}
