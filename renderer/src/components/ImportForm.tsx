// Importing servers from another app's config (Claude Desktop, VS Code, Cursor): paste or pick the file, then read the report.
import { CircleCheck, CircleMinus } from 'lucide-react';
import type { ReactNode } from 'react';
import { useKept } from '../lib/kept-state.js';
import type { ImportReport } from '../../../shared/domain/servers.js';
import { plural } from '../lib/format.js';
import { call } from '../lib/steward.js';
import { submitTo, useAction } from '../lib/use-action.js';
import { Field } from './Field.js';
import { FormFooter } from './ActionRows.js';
import { ModalBody, ModalFooter } from './Modal.js';

const FORMATS: Record<ImportReport['format'], string> = {
  claude_desktop: 'a Claude Desktop config',
  vscode: 'a VS Code config',
  cursor: 'a Cursor config',
  generic: 'an mcpServers config',
};

const EXAMPLE = `{
  "mcpServers": {
    "files": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.8.21", "/home/you"] }
  }
}`;

export function ImportForm({ onDone, onImported }: { onDone: () => void; onImported?: (report: ImportReport) => void }) {
  const [text, setText] = useKept('import.text', '');
  const [fileName, setFileName] = useKept<string | undefined>('import.fileName', undefined);
  const [report, setReport] = useKept<ImportReport | null>('import.report', null);
  const run = useAction(async () => {
    const result = await call('servers:import', { text, ...(fileName ? { fileName } : {}) });
    setReport(result);
    onImported?.(result);
  });
  const submit = submitTo(run);
  const pick = async (file: File | undefined) => {
    if (!file) return;
    setFileName(file.name);
    setText(await file.text());
  };

  if (report) {
    return (
      <>
        <ModalBody>
          <ImportReportView report={report} />
        </ModalBody>
        <ModalFooter>
          <button type="button" className="btn" onClick={() => setReport(null)}>
            Import another
          </button>
          <button type="button" className="btn btn-primary" onClick={onDone} data-autofocus>
            Done
          </button>
        </ModalFooter>
      </>
    );
  }

  return (
    <form className="modal-form" onSubmit={submit} aria-label="Import servers">
      <ModalBody>
        <p className="muted">
          Steward reads the <code>mcpServers</code> (or <code>servers</code>) map. Imported local servers still ask for your approval before they first run, and
          start sandboxed.
        </p>
        <Field label="Config file contents">
          <textarea
            className="input mono"
            rows={12}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setFileName(undefined);
            }}
            placeholder={EXAMPLE}
            spellCheck={false}
            required
            data-autofocus
          />
        </Field>
        <Field label="Or choose the file" hint="claude_desktop_config.json, .vscode/mcp.json, ~/.cursor/mcp.json…">
          <input className="input-file" type="file" accept=".json,.jsonc,application/json" onChange={(e) => void pick(e.target.files?.[0])} />
        </Field>
      </ModalBody>
      <FormFooter action={run} submit="Import" busy="Importing…" disabled={text.trim() === ''} />
    </form>
  );
}

function ImportReportView({ report }: { report: ImportReport }) {
  return (
    <div className="import-report" aria-label="Import report">
      <p>
        Read {FORMATS[report.format]}: added {plural(report.added.length, 'server')}, skipped {report.skipped.length}.
      </p>
      <ReportPart title="Added" none="Nothing was added." count={report.added.length}>
        {report.added.map((s) => (
          <li key={s.id} className="report-item report-added">
            <CircleCheck size={14} aria-hidden />
            <strong>{s.name}</strong>
            <code className="mono-text report-detail">{s.transport === 'stdio' ? [s.command, ...(s.args ?? [])].join(' ') : s.url}</code>
          </li>
        ))}
      </ReportPart>
      <ReportPart title="Skipped" none="Nothing was skipped." count={report.skipped.length}>
        {report.skipped.map((s) => (
          <li key={s.name} className="report-item report-skipped">
            <CircleMinus size={14} aria-hidden />
            <strong>{s.name}</strong>
            <span className="code-tag">{s.code}</span>
            <span className="report-detail">{s.reason}</span>
          </li>
        ))}
      </ReportPart>
    </div>
  );
}

/** One half of the report: its heading with the count, then its servers, or a line saying there are none. */
function ReportPart({ title, none, count, children }: { title: string; none: string; count: number; children: ReactNode }) {
  return (
    <>
      <h3 className="section-label">
        {title} ({count})
      </h3>
      {count === 0 ? <p className="muted">{none}</p> : <ul className="report-list">{children}</ul>}
    </>
  );
}
