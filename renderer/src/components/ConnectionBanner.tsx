// A thin bar over the screen while the connection to the host is down (browser mode reconnects by itself).
import { WifiOff } from 'lucide-react';
import { useHostState } from '../lib/host-state.js';

export function ConnectionBanner() {
  const { connected } = useHostState();
  if (connected !== false) return null;
  return (
    <div className="banner" role="status">
      <WifiOff size={14} aria-hidden />
      Lost the connection to Steward. Reconnecting… What you see may be out of date.
    </div>
  );
}
