// Steward's own settings: its appearance, the model provider behind sampling, and each server's sampling policy and budgets.
import { ScreenHeader } from '../components/ScreenHeader.js';
import { AppearancePanel } from './settings/AppearancePanel.js';
import { ModelSettingsPanel } from './settings/ModelSettingsPanel.js';
import { SamplingPolicyPanel } from './settings/SamplingPolicyPanel.js';
import './server/server-tabs.css';
import './settings/settings.css';

export function SettingsScreen({ serverId }: { serverId: string | undefined }) {
  return (
    <>
      <ScreenHeader title="Settings" subtitle="How Steward looks, the model servers may use through it, and how much each server may use it" />
      <div className="screen-body">
        <div className="settings settings-page">
          <AppearancePanel />
          <ModelSettingsPanel />
          <SamplingPolicyPanel initialServerId={serverId} />
        </div>
      </div>
    </>
  );
}
