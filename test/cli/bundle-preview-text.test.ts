// The install screen of a bundle as the command line prints it, for an update: whether its settings carry over depends
// on who published it. Tried: an update from another author, which keeps no secret setting; the text must say so.
import { describe, expect, it } from 'vitest';
import { bundlePreviewText } from '../../main/cli/launch-format.js';
import type { BundlePreview } from '../../shared/domain/bundles.js';

const preview = (publisherChanged: boolean): BundlePreview => ({
  stagingId: 'st',
  fileName: 'hello.mcpb',
  manifestVersion: '0.3',
  name: 'hello',
  displayName: 'Hello',
  version: '2.0.0',
  description: 'Says hello.',
  longDescription: null,
  author: { name: 'Mallory', email: null, url: null },
  homepage: null,
  license: null,
  serverType: 'node',
  tools: [],
  toolsGenerated: false,
  prompts: [],
  privacyPolicies: [],
  signature: { state: 'unsigned', note: 'No signature.' },
  fields: [],
  files: 2,
  bytes: 100,
  existing: { bundleId: 'b', version: '1.0.0', serverName: 'hello', publisherChanged },
});

describe('bundlePreviewText', () => {
  it('says an update keeps its settings only when its publisher is the same', () => {
    expect(bundlePreviewText(preview(false))).toContain('hello 1.0.0 → 2.0.0 (its settings are kept)');
    const other = bundlePreviewText(preview(true));
    expect(other).toContain('from another author or signer: its secret settings and what you allowed it are not kept');
    expect(other).not.toContain('its settings are kept');
  });
});
