// The application shell: sidebar, connection banner and the current screen, over the shared host state, dialogs and toasts.
import * as Tooltip from '@radix-ui/react-tooltip';
import { ConnectionBanner } from './components/ConnectionBanner.js';
import { ConsentProvider } from './components/ConsentProvider.js';
import { ElicitationProvider } from './components/ElicitationProvider.js';
import { SamplingProvider } from './components/SamplingProvider.js';
import { SignInProvider } from './components/SignInProvider.js';
import { Sidebar } from './components/Sidebar.js';
import { TaskNotifier } from './components/TaskNotifier.js';
import { ToastProvider } from './components/ToastProvider.js';
import { AppViewsProvider } from './components/apps/AppViewsProvider.js';
import { CallHistoryProvider } from './lib/call-history.js';
import { HostStateProvider } from './lib/host-state.js';
import { SessionStateProvider } from './lib/session-state.js';
import { usePath } from './lib/router.js';
import { useThemeFollower } from './lib/theme.js';
import { ROUTES } from './routes.js';

export function App() {
  const [first, ...params] = usePath();
  const route = ROUTES.find((r) => r.id === first) ?? ROUTES[0];
  useThemeFollower();
  return (
    <HostStateProvider>
      <SessionStateProvider>
        <AppViewsProvider>
          <Tooltip.Provider delayDuration={400}>
            <ToastProvider>
              <TaskNotifier />
              <ConsentProvider>
                <SamplingProvider>
                  <ElicitationProvider>
                    <SignInProvider>
                      <CallHistoryProvider>
                        <div className="app">
                          <Sidebar routes={ROUTES} current={route.id} />
                          <div className="main">
                            <ConnectionBanner />
                            <main className="screen">{route.render(route.id === first ? params : [])}</main>
                          </div>
                        </div>
                      </CallHistoryProvider>
                    </SignInProvider>
                  </ElicitationProvider>
                </SamplingProvider>
              </ConsentProvider>
            </ToastProvider>
          </Tooltip.Provider>
        </AppViewsProvider>
      </SessionStateProvider>
    </HostStateProvider>
  );
}
