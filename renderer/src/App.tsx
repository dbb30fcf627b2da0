// The application shell: sidebar, connection banner and the current screen, over the shared host state and dialogs.
import * as Tooltip from '@radix-ui/react-tooltip';
import { ConnectionBanner } from './components/ConnectionBanner.js';
import { ConsentProvider } from './components/ConsentProvider.js';
import { SamplingProvider } from './components/SamplingProvider.js';
import { Sidebar } from './components/Sidebar.js';
import { HostStateProvider } from './lib/host-state.js';
import { usePath } from './lib/router.js';
import { ROUTES } from './routes.js';

export function App() {
  const [first, ...params] = usePath();
  const route = ROUTES.find((r) => r.id === first) ?? ROUTES[0]!;
  return (
    <HostStateProvider>
      <Tooltip.Provider delayDuration={400}>
        <ConsentProvider>
          <SamplingProvider>
            <div className="app">
              <Sidebar routes={ROUTES} current={route.id} />
              <div className="main">
                <ConnectionBanner />
                <main className="screen">{route.render(route.id === first ? params : [])}</main>
              </div>
            </div>
          </SamplingProvider>
        </ConsentProvider>
      </Tooltip.Provider>
    </HostStateProvider>
  );
}
