// Copying a server: a clone under a new name (its own consent), or its config as an mcp.json other hosts read, with
// every stored secret as a placeholder (said before and after the download).
import { Copy, Download } from 'lucide-react';
import { useState } from 'react';
import type { ServerView } from '../../../../shared/domain/servers.js';
import { Field } from '../../components/Field.js';
import { FormFooter, InlineError } from '../../components/ActionRows.js';
import { Modal, ModalBody } from '../../components/Modal.js';
import { downloadText } from '../../lib/download.js';
import { useHostState } from '../../lib/host-state.js';
import { navigate } from '../../lib/router.js';
import { call } from '../../lib/steward.js';
import { submitTo, useAction } from '../../lib/use-action.js';

export function CopySection({ server }: { server: ServerView }) {
  const [cloning, setCloning] = useState(false);
  const [exported, setExported] = useState<string | null>(null);
  const exportIt = useAction(async () => {
    const result = await call('servers:export', { serverId: server.id });
    downloadText(result.fileName, result.text, 'application/json');
    setExported(
      result.placeholders.length === 0
        ? `Saved ${result.fileName}.`
        : `Saved ${result.fileName}. Secrets are not in it: ${result.placeholders.map((p) => `${p.name} is ${p.placeholder}`).join(', ')}.`,
    );
  });
  return (
    <section className="settings-section card vstack" aria-label="Copy this server">
      <h2 className="settings-title">Copy</h2>
      <p className="muted">
        A clone runs the same launch under a new name and asks for its own approval. The export is an <code>mcp.json</code> (<code>mcpServers</code>) that other
        apps read; stored secret values are replaced by placeholders such as <code>{'${env:API_KEY}'}</code>.
      </p>
      <div className="settings-actions">
        <button type="button" className="btn" onClick={() => setCloning(true)}>
          <Copy size={14} aria-hidden /> Clone…
        </button>
        <button type="button" className="btn" disabled={exportIt.pending} onClick={() => void exportIt.run()}>
          <Download size={14} aria-hidden /> Export as mcp.json
        </button>
        {exported && <span role="status">{exported}</span>}
        <InlineError error={exportIt.error} />
      </div>
      {cloning && <CloneDialog server={server} onClose={() => setCloning(false)} />}
    </section>
  );
}

function CloneDialog({ server, onClose }: { server: ServerView; onClose: () => void }) {
  const { upsert } = useHostState();
  const [name, setName] = useState(`${server.name} copy`);
  const clone = useAction(async () => {
    const view = await call('servers:clone', { serverId: server.id, name });
    upsert(view);
    onClose();
    navigate('servers', view.id, 'settings');
  });
  const submit = submitTo(clone);
  return (
    <Modal
      open
      onOpenChange={(open) => !open && onClose()}
      name="clone"
      size="small"
      title={<>Clone “{server.name}”</>}
      description="The copy gets the same launch, variables, sandbox and folders. It does not run until you approve it."
    >
      <form className="modal-form" onSubmit={submit} aria-label="Clone server">
        <ModalBody>
          <Field label="Name of the copy">
            <input className="input" value={name} onChange={(e) => setName(e.target.value)} required data-autofocus />
          </Field>
        </ModalBody>
        <FormFooter action={clone} onBack={onClose} submit="Clone" busy="Cloning…" />
      </form>
    </Modal>
  );
}
