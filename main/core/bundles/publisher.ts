// Whether a bundle comes from someone other than the one installed under its name. Steward verifies no signature, so
// there is no signer to compare: a change of author, or a signature where there was none (or none where there was one),
// is what can be seen, and either counts as another publisher.
import type { BundleRecord } from '../store/index.js';
import type { Manifest } from './manifest.js';

const text = (o: unknown, key: string): string | null => {
  const v = o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' ? v : null;
};

const authorOf = (author: unknown) => JSON.stringify(['name', 'email', 'url'].map((k) => text(author, k)));

export function publisherChanged(installed: Pick<BundleRecord, 'manifest' | 'signature'>, manifest: Manifest, signature: BundleRecord['signature']): boolean {
  return authorOf(installed.manifest.author) !== authorOf(manifest.author) || installed.signature !== signature;
}
