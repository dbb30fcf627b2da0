// Steward's own settings: the model provider behind sampling, and each server's sampling policy and budgets.
import { ScreenHeader } from '../components/ScreenHeader.js';
import { ModelSettingsPanel } from './settings/ModelSettingsPanel.js';
import { SamplingPolicyPanel } from './settings/SamplingPolicyPanel.js';
import './server/server-tabs.css';
import './settings/settings.css';

export function SettingsScreen({ serverId }: { serverId: string | undefined }) {
  return (
    <>
      <ScreenHeader title="Settings" subtitle="The model servers may use through Steward, and how much each server may use it" />
      <div className="screen-body">
        <div className="settings settings-page">
          <ModelSettingsPanel />
          <SamplingPolicyPanel initialServerId={serverId} />
        </div>
      </div>
    </>
  );
}
