// Adding a remote server reached over Streamable HTTP: a name, the URL and optional headers (values masked).
import { useKept } from '../lib/kept-state.js';
import type { ServerView } from '../../../shared/domain/servers.js';
import { call } from '../lib/steward.js';
import { submitTo, useAction } from '../lib/use-action.js';
import { Field } from './Field.js';
import { KeyValueEditor, rowsToRecord, type Row } from './KeyValueEditor.js';
import { FormFooter } from './ActionRows.js';
import { ModalBody } from './Modal.js';

export function RemoteServerForm({ onAdded, onCancel }: { onAdded: (view: ServerView) => void; onCancel: () => void }) {
  const [name, setName] = useKept('remote.name', '');
  const [url, setUrl] = useKept('remote.url', '');
  const [headers, setHeaders] = useKept<Row[]>('remote.headers', []);
  const add = useAction(async () => {
    onAdded(await call('servers:add', { name, config: { transport: 'http', url: url.trim(), headers: rowsToRecord(headers) } }));
  });
  const submit = submitTo(add);

  return (
    <form className="modal-form" onSubmit={submit} aria-label="Add a remote server">
      <ModalBody>
        <div className="form-grid">
          <Field label="Name">
            <input className="input" value={name} onChange={(e) => setName(e.target.value)} placeholder="issues" required data-autofocus />
          </Field>
          <Field label="URL" hint="The server’s Streamable HTTP endpoint, http:// or https://.">
            <input
              className="input mono"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              placeholder="https://mcp.example.com/mcp"
              required
              spellCheck={false}
            />
          </Field>
          <fieldset className="fieldset span-2">
            <legend>Headers</legend>
            <p className="field-hint">
              Sent with every request, e.g. Authorization. Values are kept in Steward’s secret store. Paste “Name: value” lines to add several.
            </p>
            <KeyValueEditor noun="header" separator=":" rows={headers} onChange={setHeaders} namePlaceholder="Authorization" />
          </fieldset>
        </div>
      </ModalBody>
      <FormFooter action={add} onBack={onCancel} submit="Add server" busy="Adding…" />
    </form>
  );
}
