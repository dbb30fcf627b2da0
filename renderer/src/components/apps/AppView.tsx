// A tool's MCP App view wherever a call's result is shown (the workbench, an agent loop's transcript, a task's page):
// the server's own interactive UI in a sandboxed frame, with what it is allowed to do in plain sight. Self-contained:
// give it the server, the tool, the call's input and (when there is one) its result.
import { ExternalLink, LayoutPanelTop, LoaderCircle, Maximize2, Minimize2, RotateCcw } from 'lucide-react';
import { useEffect, useLayoutEffect, useReducer, useRef, useState, useSyncExternalStore } from 'react';
import type { CallResult, ToolView } from '../../../../shared/domain/mcp.js';
import { ErrorNote } from '../States.js';
import { useAppViews } from './AppViewsProvider.js';
import type { LinkRequest } from './live-view.js';
import { LinkDialog, ViewDetails, ViewNotes } from './ViewDetails.js';

interface Props {
  /** One view per call: the same key is the same live view, across re-renders, tab switches and screens. */
  viewKey: string;
  serverId: string;
  tool: ToolView;
  input: Record<string, unknown>;
  result: CallResult | null;
  /** Why the call ended without a result; the view hears that it was cancelled. */
  cancelled?: string | null;
}

export function AppView({ viewKey, serverId, tool, input, result, cancelled = null }: Props) {
  const views = useAppViews();
  const [generation, reopen] = useReducer((n: number) => n + 1, 0);
  const key = generation === 0 ? viewKey : `${viewKey}#${generation}`;
  const view = views.acquire(key, { serverId, tool: tool.name, input, result, cancelled });
  const state = useSyncExternalStore(view.subscribe, view.getState);
  const slot = useRef<HTMLDivElement>(null);
  const full = state.displayMode === 'fullscreen';
  /** The page request whose dialog the user closed without deciding; a newer request shows its dialog again. */
  const [hiddenLink, setHiddenLink] = useState<LinkRequest | null>(null);
  const linkHidden = state.link !== null && state.link === hiddenLink;

  useLayoutEffect(() => {
    const element = slot.current;
    if (!element) return;
    view.attach(element);
    return () => view.detach(element);
  }, [view]);

  useEffect(() => view.update({ result, cancelled }), [view, result, cancelled]);

  // The room the view has, told again whenever it changes (a resized window, full screen and back).
  useEffect(() => {
    const element = slot.current;
    if (!element) return;
    const measure = () => view.resize(element.clientWidth, full ? element.clientHeight : undefined);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [view, full]);

  useEffect(() => {
    if (!full) return;
    // An Escape a dialog already took (it closes the dialog) leaves full screen as it is.
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && !event.defaultPrevented && view.setDisplayMode('inline');
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [view, full]);

  const title = tool.title ?? tool.name;
  const server = state.spec?.serverName;
  const loading = state.phase === 'opening' || state.phase === 'loading';
  return (
    <section
      className={`app-view${full ? ' app-view-fullscreen' : ''}${state.spec?.prefersBorder === false ? ' app-view-borderless' : ''}`}
      aria-label={`View of ${title}`}
      data-tool={tool.name}
      data-view-phase={state.phase}
      data-display-mode={state.displayMode}
    >
      <header className="app-view-bar">
        <LayoutPanelTop size={14} aria-hidden />
        <span className="app-view-title">{title}</span>
        <span className="muted app-view-origin">{server ? `from “${server}” · sandboxed view` : 'sandboxed view'}</span>
        <span className="app-view-actions">
          {state.phase === 'ready' && (full || state.modes.includes('fullscreen')) && (
            <button type="button" className="btn btn-small" onClick={() => view.setDisplayMode(full ? 'inline' : 'fullscreen')}>
              {full ? <Minimize2 size={13} aria-hidden /> : <Maximize2 size={13} aria-hidden />} {full ? 'Exit full screen' : 'Full screen'}
            </button>
          )}
          {state.link && linkHidden && (
            <button type="button" className="btn btn-small btn-attention" onClick={() => setHiddenLink(null)}>
              <ExternalLink size={13} aria-hidden /> Page waiting to open
            </button>
          )}
          {state.phase === 'closed' && (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => {
                views.release(key);
                reopen();
              }}
            >
              <RotateCcw size={13} aria-hidden /> Open again
            </button>
          )}
        </span>
      </header>
      <div className="app-view-slot" ref={slot} />
      {loading && (
        <p className="app-view-status" role="status">
          <LoaderCircle size={14} className="spin" aria-hidden /> Loading the view…
        </p>
      )}
      {state.phase === 'failed' && state.error && <ErrorNote title="Steward could not show this view." error={state.error} />}
      {state.phase === 'closed' && (
        <p className="app-view-status" role="status">
          {state.closedReason}
        </p>
      )}
      {!full && state.spec && <ViewDetails spec={state.spec} violations={state.violations} />}
      {!full && <ViewNotes messages={state.messages} modelContext={state.modelContext} />}
      {state.link && state.spec && !linkHidden && (
        <LinkDialog
          link={state.link}
          tool={title}
          server={state.spec.serverName}
          onDecide={(open) => view.decideLink(open)}
          onHide={() => setHiddenLink(state.link)}
        />
      )}
    </section>
  );
}
