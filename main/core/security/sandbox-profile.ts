// What a sandboxed server may not read by default: credential stores, keys, browser profiles and Steward's own data.
import { pathApi, type Platform } from './platform-paths.js';

export function defaultSecretPaths(platform: Platform, homeDir: string, dataDir: string): string[] {
  const h = (...p: string[]) => pathApi(platform).join(homeDir, ...p);
  const common = [
    h('.ssh'),
    h('.gnupg'),
    h('.aws'),
    h('.azure'),
    h('.kube'),
    h('.docker'),
    h('.netrc'),
    h('.npmrc'),
    h('.pypirc'),
    h('.git-credentials'),
    h('.password-store'),
    h('.config', 'gcloud'),
    h('.config', 'gh'),
    h('.config', 'op'),
    dataDir,
  ];
  if (platform === 'darwin') {
    return [
      ...common,
      h('Library', 'Keychains'),
      h('Library', 'Cookies'),
      h('Library', 'Application Support', 'Google', 'Chrome'),
      h('Library', 'Application Support', 'Firefox'),
      h('Library', 'Application Support', 'Claude'),
      h('Library', 'Safari'),
    ];
  }
  if (platform === 'linux') {
    return [
      ...common,
      h('.local', 'share', 'keyrings'),
      h('.mozilla'),
      h('.config', 'google-chrome'),
      h('.config', 'chromium'),
      h('.config', 'BraveSoftware'),
      h('.config', 'Claude'),
    ];
  }
  return common;
}
