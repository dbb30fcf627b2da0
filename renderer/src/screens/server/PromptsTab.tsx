// A server's prompts: the list (a page at a time, refreshed when the server says it changed), and for the chosen one
// a form for its arguments with the server's suggestions, and the messages it gives back.
import { MessageSquareText, Play } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { PromptResult, PromptView } from '../../../../shared/domain/mcp.js';
import type { ServerView } from '../../../../shared/domain/servers.js';
import { CompletingInput } from '../../components/CompletingInput.js';
import { Field } from '../../components/Field.js';
import { PickList } from '../../components/PickList.js';
import { EmptyState, ErrorNote, Loading } from '../../components/States.js';
import { call, subscribe } from '../../lib/steward.js';
import { useAction } from '../../lib/use-action.js';
import { useLoad } from '../../lib/use-load.js';
import { usePaged } from '../../lib/use-paged.js';
import { MessageContent } from './MessageContent.js';
import { NeedsRunning } from './NeedsRunning.js';
import './server-tabs.css';

export function PromptsTab({ server }: { server: ServerView }) {
  return (
    <NeedsRunning server={server} what="prompts">
      <PromptsPanel server={server} />
    </NeedsRunning>
  );
}

/** Bumps when the server announces a change of the given list. */
export function useListChanges(event: 'prompts:changed' | 'resources:changed', serverId: string): number {
  const [changes, setChanges] = useState(0);
  useEffect(() => subscribe(event, (e) => e.serverId === serverId && setChanges((n) => n + 1)), [event, serverId]);
  return changes;
}

function PromptsPanel({ server }: { server: ServerView }) {
  const changes = useListChanges('prompts:changed', server.id);
  const running = server.status === 'running';
  const prompts = usePaged((cursor) => call('prompts:list', { serverId: server.id, ...(cursor ? { cursor } : {}) }), [server.id, changes, running]);
  const [features] = useLoad(() => call('servers:features', { serverId: server.id }), [server.id, running]);
  const [selected, setSelected] = useState<string | null>(null);

  if (prompts.state === 'loading' && prompts.items.length === 0) return <Loading label="Loading prompts…" />;
  if (prompts.state === 'error' && prompts.error && prompts.items.length === 0)
    return <ErrorNote title="Steward could not list the prompts." error={prompts.error} onRetry={prompts.reload} />;
  if (prompts.items.length === 0) return <EmptyState icon={MessageSquareText} title="This server offers no prompts" />;
  const prompt = prompts.items.find((p) => p.name === selected);
  return (
    <div className="split">
      <PickList
        label="Prompts"
        items={prompts.items.map((p) => ({ key: p.name, name: p.name, title: p.title, description: p.description }))}
        selected={selected}
        onSelect={setSelected}
        more={{ shown: prompts.more, loading: prompts.state === 'loading', onMore: prompts.loadMore }}
      />
      <div className="split-main">
        {prompt ? (
          <PromptRunner key={prompt.name} serverId={server.id} prompt={prompt} completes={features.state === 'ready' && features.data.completions} />
        ) : (
          <p className="muted pane-hint">Choose a prompt to fill in its arguments and see its messages.</p>
        )}
      </div>
    </div>
  );
}

function PromptRunner({ serverId, prompt, completes }: { serverId: string; prompt: PromptView; completes: boolean }) {
  const [args, setArgs] = useState<Record<string, string>>({});
  const [missing, setMissing] = useState<string[]>([]);
  const [result, setResult] = useState<PromptResult | null>(null);
  const getting = useAction(async () => setResult(await call('prompts:get', { serverId, name: prompt.name, arguments: filled(args) })));
  const submit = () => {
    const absent = prompt.arguments.filter((a) => a.required && !args[a.name]).map((a) => a.name);
    setMissing(absent);
    if (absent.length === 0) void getting.run();
  };
  return (
    <div className="runner">
      <header className="runner-header">
        <h2 className="runner-title mono-text">{prompt.name}</h2>
        {prompt.title && prompt.title !== prompt.name && <span className="muted">{prompt.title}</span>}
      </header>
      {prompt.description && <p className="runner-description">{prompt.description}</p>}
      <form
        className="stack"
        aria-label={`Arguments of ${prompt.name}`}
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        {prompt.arguments.length === 0 && <p className="muted">This prompt takes no arguments.</p>}
        {prompt.arguments.map((a) => (
          <Field
            key={a.name}
            label={a.required ? `${a.name} (required)` : a.name}
            hint={a.description}
            error={missing.includes(a.name) ? 'This argument is required.' : undefined}
          >
            <CompletingInput
              serverId={serverId}
              completes={completes}
              completionRef={{ type: 'ref/prompt', name: prompt.name }}
              name={a.name}
              value={args[a.name] ?? ''}
              context={withoutKey(filled(args), a.name)}
              onChange={(value) => setArgs((before) => ({ ...before, [a.name]: value }))}
            />
          </Field>
        ))}
        <div className="runner-actions">
          <button type="submit" className="btn btn-primary" disabled={getting.pending}>
            <Play size={14} aria-hidden /> {getting.pending ? 'Getting…' : 'Get prompt'}
          </button>
        </div>
      </form>
      {getting.error && <ErrorNote title="The server did not give the prompt." error={getting.error} />}
      {result && (
        <section className="result" aria-label="Prompt messages">
          {result.description && <p className="muted">{result.description}</p>}
          {result.messages.map((m, i) => (
            <div key={i} className="prompt-message">
              <span className="prompt-role">{m.role}</span>
              <MessageContent serverId={serverId} item={m.content} />
            </div>
          ))}
        </section>
      )}
    </div>
  );
}

/** Arguments the user left empty are not sent: the server sees them as absent. */
function filled(args: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(args).filter(([, v]) => v !== ''));
}

function withoutKey(args: Record<string, string>, key: string): Record<string, string> {
  return Object.fromEntries(Object.entries(args).filter(([k]) => k !== key));
}
