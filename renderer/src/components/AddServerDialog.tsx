// The Add server dialog: a local command, a remote HTTP server, an MCPB bundle, or an import from another app's config.
import * as Tabs from '@radix-ui/react-tabs';
import { FileUp, Globe, Package, Terminal } from 'lucide-react';
import { BundleInstallForm } from './BundleInstall.js';
import { ImportForm } from './ImportForm.js';
import { LocalServerForm } from './LocalServerForm.js';
import { Modal } from './Modal.js';
import { RemoteServerForm } from './RemoteServerForm.js';

export type AddTab = 'local' | 'remote' | 'bundle' | 'import';

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
  return (
    <Modal
      open
      onOpenChange={(open) => !open && onClose()}
      name="add-server"
      size="large"
      title="Add a server"
      description="Local servers run on this computer after you approve their exact command; remote ones are reached over HTTP."
    >
      <Tabs.Root className="modal-tabs" value={tab} onValueChange={(v) => onTab(v as AddTab)}>
        <Tabs.List className="tab-list tab-list-modal" aria-label="Kind of server">
          <Tabs.Trigger className="tab" value="local">
            <Terminal size={14} aria-hidden /> Local command
          </Tabs.Trigger>
          <Tabs.Trigger className="tab" value="remote">
            <Globe size={14} aria-hidden /> Remote (HTTP)
          </Tabs.Trigger>
          <Tabs.Trigger className="tab" value="bundle">
            <Package size={14} aria-hidden /> Bundle (.mcpb)
          </Tabs.Trigger>
          <Tabs.Trigger className="tab" value="import">
            <FileUp size={14} aria-hidden /> Import
          </Tabs.Trigger>
        </Tabs.List>
        <Tabs.Content className="modal-tab-content" value="local">
          <LocalServerForm onAdded={onClose} onCancel={onClose} />
        </Tabs.Content>
        <Tabs.Content className="modal-tab-content" value="remote">
          <RemoteServerForm onAdded={onClose} onCancel={onClose} />
        </Tabs.Content>
        <Tabs.Content className="modal-tab-content" value="bundle">
          <BundleInstallForm initialFile={bundleFile} onDone={onClose} />
        </Tabs.Content>
        <Tabs.Content className="modal-tab-content" value="import">
          <ImportForm onDone={onClose} />
        </Tabs.Content>
      </Tabs.Root>
    </Modal>
  );
}
