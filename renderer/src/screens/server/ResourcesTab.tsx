// A server's resources and resource templates, a page at a time: read one (text, image, or bytes to save), follow it
// (subscribe: read again on each update the server announces), or fill a template's parameters with suggestions.
import { BellOff, BellRing, FileText, RefreshCw } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import type { ResourceContent, ResourceTemplateView } from '../../../../shared/domain/mcp.js';
import type { ServerView } from '../../../../shared/domain/servers.js';
import { CompletingInput } from '../../components/CompletingInput.js';
import { Field } from '../../components/Field.js';
import { PickList } from '../../components/PickList.js';
import { EmptyState, ErrorNote, Loading } from '../../components/States.js';
import { formatClock } from '../../lib/format.js';
import { call, subscribe } from '../../lib/steward.js';
import { useAction } from '../../lib/use-action.js';
import { useLoad } from '../../lib/use-load.js';
import { usePaged } from '../../lib/use-paged.js';
import { expandTemplate, templateVariables } from '../../lib/uri-template.js';
import { NeedsRunning } from './NeedsRunning.js';
import { useListChanges } from './PromptsTab.js';
import { ResourceContents } from './ResourceContents.js';
import './server-tabs.css';

export function ResourcesTab({ server, uri }: { server: ServerView; uri?: string | undefined }) {
  return (
    <NeedsRunning server={server} what="resources">
      <ResourcesPanel server={server} initial={uri} />
    </NeedsRunning>
  );
}

type Chosen = { kind: 'resource'; uri: string } | { kind: 'template'; template: ResourceTemplateView };

function ResourcesPanel({ server, initial }: { server: ServerView; initial: string | undefined }) {
  const changes = useListChanges('resources:changed', server.id);
  const running = server.status === 'running';
  const at = (cursor: string | undefined) => ({ serverId: server.id, ...(cursor ? { cursor } : {}) });
  const resources = usePaged((cursor) => call('resources:list', at(cursor)), [server.id, changes, running]);
  const templates = usePaged((cursor) => call('resources:templates', at(cursor)), [server.id, changes, running]);
  const [features] = useLoad(() => call('servers:features', { serverId: server.id }), [server.id, running]);
  const [chosen, setChosen] = useState<Chosen | null>(initial ? { kind: 'resource', uri: initial } : null);
  useEffect(() => setChosen(initial ? { kind: 'resource', uri: initial } : null), [initial]);

  const loading = resources.state === 'loading' && resources.items.length === 0 && templates.items.length === 0;
  if (loading) return <Loading label="Loading resources…" />;
  if (resources.state === 'error' && resources.error && resources.items.length === 0)
    return <ErrorNote title="Steward could not list the resources." error={resources.error} onRetry={resources.reload} />;
  if (resources.items.length === 0 && templates.items.length === 0 && !chosen) return <EmptyState icon={FileText} title="This server lists no resources" />;
  const ready = features.state === 'ready' ? features.data : null;
  const selectedKey = chosen ? (chosen.kind === 'resource' ? `r:${chosen.uri}` : `t:${chosen.template.uriTemplate}`) : null;
  return (
    <div className="split">
      <div className="pick-column">
        <PickList
          label="Resources"
          items={resources.items.map((r) => ({ key: `r:${r.uri}`, name: r.title ?? r.name, title: r.uri, description: r.description }))}
          selected={selectedKey}
          onSelect={(key) => setChosen({ kind: 'resource', uri: key.slice(2) })}
          more={{ shown: resources.more, loading: resources.state === 'loading', onMore: resources.loadMore }}
        />
        {templates.items.length > 0 && (
          <PickList
            label="Resource templates"
            items={templates.items.map((t) => ({ key: `t:${t.uriTemplate}`, name: t.title ?? t.name, title: t.uriTemplate, description: t.description }))}
            selected={selectedKey}
            onSelect={(key) => {
              const template = templates.items.find((t) => `t:${t.uriTemplate}` === key);
              if (template) setChosen({ kind: 'template', template });
            }}
            more={{ shown: templates.more, loading: templates.state === 'loading', onMore: templates.loadMore }}
          />
        )}
      </div>
      <div className="split-main">
        {chosen?.kind === 'resource' && <ResourceReader key={chosen.uri} serverId={server.id} uri={chosen.uri} subscribes={ready?.subscribe ?? false} />}
        {chosen?.kind === 'template' && (
          <TemplateForm
            key={chosen.template.uriTemplate}
            serverId={server.id}
            template={chosen.template}
            completes={ready?.completions ?? false}
            onRead={(uri) => setChosen({ kind: 'resource', uri })}
          />
        )}
        {!chosen && <p className="muted pane-hint">Choose a resource to read it, or a template to fill in.</p>}
      </div>
    </div>
  );
}

function ResourceReader({ serverId, uri, subscribes }: { serverId: string; uri: string; subscribes: boolean }) {
  const [contents, setContents] = useState<ResourceContent[] | null>(null);
  const [readAt, setReadAt] = useState<string | null>(null);
  const [updates, setUpdates] = useState(0);
  const [following, setFollowing] = useState(false);
  const reading = useAction(async () => {
    setContents((await call('resources:read', { serverId, uri })).contents);
    setReadAt(new Date().toISOString());
  });
  const follow = useAction(async (on: boolean) => {
    await call(on ? 'resources:subscribe' : 'resources:unsubscribe', { serverId, uri });
    setFollowing(on);
  });
  useEffect(() => void reading.run(), [uri]);
  // Listening all along: an update the server sends right after the subscribe is answered counts too.
  const followingRef = useRef(false);
  followingRef.current = following || follow.pending;
  useEffect(
    () =>
      subscribe('resources:updated', (e) => {
        if (e.serverId !== serverId || e.uri !== uri || !followingRef.current) return;
        setUpdates((n) => n + 1);
        void reading.run();
      }),
    [serverId, uri],
  );
  // Leaving the resource stops following it.
  useEffect(() => () => void (following && call('resources:unsubscribe', { serverId, uri }).catch(() => undefined)), [following, serverId, uri]);
  return (
    <div className="runner">
      <header className="runner-header">
        <h2 className="runner-title mono-text break">{uri}</h2>
      </header>
      <div className="runner-actions">
        <button type="button" className="btn" disabled={reading.pending} onClick={() => void reading.run()}>
          <RefreshCw size={14} aria-hidden /> {reading.pending ? 'Reading…' : 'Read again'}
        </button>
        {subscribes && (
          <button type="button" className="btn" aria-pressed={following} disabled={follow.pending} onClick={() => void follow.run(!following)}>
            {following ? <BellOff size={14} aria-hidden /> : <BellRing size={14} aria-hidden />} {following ? 'Stop following' : 'Follow updates'}
          </button>
        )}
        <span className="muted" role="status">
          {following && `Following: ${updates} update${updates === 1 ? '' : 's'} so far. `}
          {readAt && `Read at ${formatClock(readAt)}.`}
        </span>
      </div>
      {follow.error && <ErrorNote title="Following the resource did not work." error={follow.error} />}
      {reading.error && <ErrorNote title="The server did not give the resource." error={reading.error} />}
      {contents && <ResourceContents contents={contents} />}
    </div>
  );
}

function TemplateForm(props: { serverId: string; template: ResourceTemplateView; completes: boolean; onRead: (uri: string) => void }) {
  const { serverId, template, completes, onRead } = props;
  const names = templateVariables(template.uriTemplate);
  const [values, setValues] = useState<Record<string, string>>({});
  const uri = expandTemplate(template.uriTemplate, values);
  return (
    <div className="runner">
      <header className="runner-header">
        <h2 className="runner-title mono-text break">{template.uriTemplate}</h2>
        <span className="muted">{template.title ?? template.name}</span>
      </header>
      {template.description && <p className="runner-description">{template.description}</p>}
      <form
        className="stack"
        aria-label={`Parameters of ${template.name}`}
        onSubmit={(e) => {
          e.preventDefault();
          onRead(uri);
        }}
      >
        {names.map((name) => (
          <Field key={name} label={name}>
            <CompletingInput
              serverId={serverId}
              completes={completes}
              completionRef={{ type: 'ref/resource', uri: template.uriTemplate }}
              name={name}
              value={values[name] ?? ''}
              context={Object.fromEntries(Object.entries(values).filter(([k, v]) => k !== name && v !== ''))}
              onChange={(value) => setValues((before) => ({ ...before, [name]: value }))}
            />
          </Field>
        ))}
        <p className="muted">
          URI: <span className="mono-text break">{uri}</span>
        </p>
        <div className="runner-actions">
          <button type="submit" className="btn btn-primary" disabled={names.some((n) => !values[n])}>
            Read
          </button>
        </div>
      </form>
    </div>
  );
}
