// Asks the user whether a server may run its exact launch. Says who asks and what each button does;
// a decision about a launch that changed meanwhile is refused by the host, and the dialog shows the new one.
import { useState } from 'react';
import type { ConsentRequest } from '../../../shared/domain/servers.js';
import { formatDateTime } from '../lib/format.js';
import { useHostState } from '../lib/host-state.js';
import { call } from '../lib/steward.js';
import { useAction } from '../lib/use-action.js';
import { useLoad } from '../lib/use-load.js';
import { ConsentDetails } from './ConsentDetails.js';
import { Modal, ModalBody, ModalFooter } from './Modal.js';
import { ErrorNote, Loading, Notice } from './States.js';

interface Props {
  serverId: string;
  onClose: () => void;
}

export function ConsentDialog({ serverId, onClose }: Props) {
  const { servers, upsert } = useHostState();
  const [request, reload] = useLoad(() => call('consent:get', { serverId }), [serverId]);
  const [changedWhileOpen, setChangedWhileOpen] = useState(false);
  const running = servers.state === 'ready' && servers.data.some((s) => s.id === serverId && s.status === 'running');
  const name =
    request.state === 'ready'
      ? request.data.serverName
      : servers.state === 'ready'
        ? (servers.data.find((s) => s.id === serverId)?.name ?? 'This server')
        : 'This server';

  const decide = useAction(async (shown: ConsentRequest, decision: 'approve' | 'deny') => {
    try {
      upsert(await call('consent:decide', { serverId, hash: shown.spec.hash, decision }));
      onClose();
    } catch (error) {
      if ((error as { code?: string }).code === 'consent_mismatch') {
        setChangedWhileOpen(true);
        reload();
        return;
      }
      throw error;
    }
  });
  const [choice, setChoice] = useState<'approve' | 'deny' | null>(null);
  const choose = (shown: ConsentRequest, decision: 'approve' | 'deny') => {
    setChoice(decision);
    void decide.run(shown, decision);
  };

  return (
    <Modal
      open
      onOpenChange={(open) => !open && onClose()}
      name="consent"
      size="large"
      title={<>Allow “{name}” to run on this computer?</>}
      description={
        <>
          “{name}” is a local server. Approving <strong>runs this program on your computer</strong>, as you, with the settings below. Steward asks again
          whenever the launch changes.
        </>
      }
    >
      <ModalBody>
        {request.state === 'loading' && <Loading label="Reading the launch…" />}
        {request.state === 'error' && <ErrorNote title="Steward cannot prepare this launch." error={request.error} onRetry={reload} />}
        {request.state === 'ready' && (
          <>
            {changedWhileOpen && (
              <Notice tone="warning">
                <strong>The launch changed while this dialog was open.</strong> What you see now is the new launch; review it again before deciding.
              </Notice>
            )}
            {request.data.changedSince && (
              <Notice tone="warning">
                <strong>This launch is different from the one you decided on {formatDateTime(request.data.changedSince)}.</strong> Check the command and
                settings below before allowing it.
              </Notice>
            )}
            {running && request.data.state === 'required' && (
              <Notice tone="info">
                “{name}” is running its earlier launch now. <strong>Allow and restart</strong> stops it and starts this launch; <strong>Deny</strong> stops it.
              </Notice>
            )}
            {request.data.state === 'denied' && <Notice tone="info">You refused this exact launch before. You can allow it now, or keep refusing.</Notice>}
            {request.data.state === 'approved' && <Notice tone="info">You already allowed this exact launch. Allowing it again starts the server.</Notice>}
            <ConsentDetails request={request.data} />
          </>
        )}
      </ModalBody>
      <ModalFooter
        aside={
          decide.error && (
            <span className="inline-error" role="alert">
              {decide.error.message}
            </span>
          )
        }
      >
        <button
          type="button"
          className="btn btn-danger-outline"
          disabled={request.state !== 'ready' || decide.pending}
          onClick={() => request.state === 'ready' && choose(request.data, 'deny')}
        >
          {decide.pending && choice === 'deny' ? 'Refusing…' : "Deny — don't run it"}
        </button>
        <button
          type="button"
          className="btn btn-primary"
          disabled={request.state !== 'ready' || decide.pending}
          onClick={() => request.state === 'ready' && choose(request.data, 'approve')}
        >
          {decide.pending && choice === 'approve' ? 'Starting…' : running ? 'Allow and restart' : 'Allow and start'}
        </button>
      </ModalFooter>
    </Modal>
  );
}
