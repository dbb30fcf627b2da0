// The Add server dialog: a local command, a remote HTTP server, an MCPB bundle, or an import from another app's config.
// What was typed in a tab is kept while the dialog is open, so switching tabs loses nothing; a toast says what happened.
import * as Tabs from '@radix-ui/react-tabs';
import { FileUp, Globe, Package, Terminal, type LucideIcon } from 'lucide-react';
import type { ReactNode } from 'react';
import { BundleInstallForm } from './BundleInstall.js';
import { ImportForm } from './ImportForm.js';
import { LocalServerForm } from './LocalServerForm.js';
import { Modal } from './Modal.js';
import { RemoteServerForm } from './RemoteServerForm.js';
import { KeptStateProvider } from '../lib/kept-state.js';
import type { ImportReport, ServerView } from '../../../shared/domain/servers.js';
import { plural } from '../lib/format.js';
import { href } from '../lib/router.js';
import { useToasts } from '../lib/toasts.js';

export type AddTab = 'local' | 'remote' | 'bundle' | 'import';

const KINDS: ReadonlyArray<{ tab: AddTab; icon: LucideIcon; label: string }> = [
  { tab: 'local', icon: Terminal, label: 'Local command' },
  { tab: 'remote', icon: Globe, label: 'Remote (HTTP)' },
  { tab: 'bundle', icon: Package, label: 'Bundle (.mcpb)' },
  { tab: 'import', icon: FileUp, label: 'Import' },
];

export function AddServerDialog({
  tab,
  onTab,
  onClose,
  bundleFile,
}: {
  tab: AddTab;
  onTab: (tab: AddTab) => void;
  onClose: () => void;
  bundleFile?: File | undefined;
}) {
  const toasts = useToasts();
  // The dialog closes on adding; the toast says what happened and what comes next.
  const added = (view: ServerView) => {
    toasts.show({
      title: `Added “${view.name}”`,
      description:
        view.transport === 'stdio'
          ? 'It needs your approval before it first runs: start it to review its exact launch.'
          : 'Start it to connect; it may ask you to sign in.',
      tone: 'ok',
      link: { href: href('servers', view.id), label: 'Open it' },
    });
    onClose();
  };
  const imported = (report: ImportReport) => {
    toasts.show({
      title: `Imported ${plural(report.added.length, 'server')}${report.skipped.length > 0 ? `, skipped ${report.skipped.length}` : ''}`,
      description:
        report.skipped.length > 0
          ? report.skipped.map((s) => `${s.name}: ${s.reason}`).join(' ')
          : 'Each local one asks for your approval before it first runs.',
      tone: report.skipped.length > 0 ? 'idle' : 'ok',
    });
  };
  const forms: Record<AddTab, ReactNode> = {
    local: <LocalServerForm onAdded={added} onCancel={onClose} />,
    remote: <RemoteServerForm onAdded={added} onCancel={onClose} />,
    bundle: <BundleInstallForm initialFile={bundleFile} onDone={onClose} />,
    import: <ImportForm onDone={onClose} onImported={imported} />,
  };
  return (
    <Modal
      open
      onOpenChange={(open) => !open && onClose()}
      name="add-server"
      size="large"
      title="Add a server"
      description="Local servers run on this computer after you approve their exact command; remote ones are reached over HTTP."
    >
      <KeptStateProvider>
        <Tabs.Root className="modal-tabs" value={tab} onValueChange={(v) => onTab(v as AddTab)}>
          <Tabs.List className="tab-list tab-list-modal" aria-label="Kind of server">
            {KINDS.map(({ tab: value, icon: Icon, label }) => (
              <Tabs.Trigger key={value} className="tab" value={value}>
                <Icon size={14} aria-hidden /> {label}
              </Tabs.Trigger>
            ))}
          </Tabs.List>
          {KINDS.map(({ tab: value }) => (
            <Tabs.Content key={value} className="modal-tab-content" value={value}>
              {forms[value]}
            </Tabs.Content>
          ))}
        </Tabs.Root>
      </KeptStateProvider>
    </Modal>
  );
}
