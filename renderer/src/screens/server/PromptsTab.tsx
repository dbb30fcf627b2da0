// The prompts a server offers, with their arguments.
import { MessageSquareText } from 'lucide-react';
import type { ServerView } from '../../../../shared/domain/servers.js';
import { EmptyState, ErrorNote, Loading } from '../../components/States.js';
import { call } from '../../lib/steward.js';
import { useLoad } from '../../lib/use-load.js';
import { NeedsRunning } from './NeedsRunning.js';

export function PromptsTab({ server }: { server: ServerView }) {
  return (
    <NeedsRunning server={server} what="prompts">
      <PromptsList server={server} />
    </NeedsRunning>
  );
}

function PromptsList({ server }: { server: ServerView }) {
  const [prompts, reload] = useLoad(() => call('prompts:list', { serverId: server.id }), [server.id, server.status === 'running']);
  if (prompts.state === 'loading') return <Loading label="Loading prompts…" />;
  if (prompts.state === 'error') return <ErrorNote title="Steward could not list the prompts." error={prompts.error} onRetry={reload} />;
  if (prompts.data.length === 0) return <EmptyState icon={MessageSquareText} title="This server offers no prompts" />;
  return (
    <div className="scroll-pane">
      <table className="table">
        <thead>
          <tr>
            <th>Prompt</th>
            <th>Description</th>
            <th>Arguments</th>
          </tr>
        </thead>
        <tbody>
          {prompts.data.map((p) => (
            <tr key={p.name}>
              <td>
                <span className="mono-text">{p.name}</span>
                {p.title && p.title !== p.name && <div className="muted">{p.title}</div>}
              </td>
              <td>{p.description ?? <span className="muted">—</span>}</td>
              <td>
                {p.arguments.length === 0 ? (
                  <span className="muted">none</span>
                ) : (
                  <ul className="arg-list">
                    {p.arguments.map((a) => (
                      <li key={a.name}>
                        <span className="mono-text">{a.name}</span>
                        {a.required && (
                          <span className="required" title="Required">
                            {' '}
                            *
                          </span>
                        )}
                        {a.description && <span className="muted"> — {a.description}</span>}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
