// What views do, in their server's log (and refusals in the audit record): every relayed request on a line of its own,
// refusals at once, and a flood of refusals as one summary line every two seconds instead of thousands.
import type { LogLine } from '../../../shared/domain/servers.js';
import type { Audit } from '../audit/index.js';
import type { Clock } from '../ports.js';

/** How long after a refusal is written further ones are only counted. */
export const REFUSAL_QUIET_MS = 2000;

export interface LoggedView {
  viewId: string;
  serverId: string;
  serverName: string;
  tool: string;
}

export interface ViewLogDeps {
  log(serverId: string, level: LogLine['level'], text: string): void;
  audit: Audit;
  clock: Clock;
}

interface Quiet {
  until: number;
  count: number;
  last: string;
  timer: { cancel: () => void } | undefined;
}

export class ViewLog {
  private readonly quiet = new Map<string, Quiet>();

  constructor(private readonly deps: ViewLogDeps) {}

  line(view: LoggedView, level: LogLine['level'], text: string): void {
    this.deps.log(view.serverId, level, `[view of ${view.tool}] ${text}`);
  }

  /** Something the view asked for and did not get ("refused tools/call x: why", "its CSP blocked …"). */
  refused(view: LoggedView, what: string): void {
    const now = this.deps.clock.now();
    const state = this.quiet.get(view.viewId) ?? { until: 0, count: 0, last: '', timer: undefined };
    this.quiet.set(view.viewId, state);
    if (now >= state.until && state.count === 0) {
      state.until = now + REFUSAL_QUIET_MS;
      this.write(view, what);
      return;
    }
    state.count += 1;
    state.last = what;
    state.timer ??= this.deps.clock.setTimeout(() => this.summarize(view), Math.max(0, state.until - now));
  }

  /** Writes what is still counted (a view closing says how its flood ended). */
  flush(view: LoggedView): void {
    const state = this.quiet.get(view.viewId);
    state?.timer?.cancel();
    if (state && state.count > 0) this.summarize(view);
    this.quiet.delete(view.viewId);
  }

  private summarize(view: LoggedView): void {
    const state = this.quiet.get(view.viewId);
    if (!state) return;
    state.timer = undefined;
    if (state.count === 0) return;
    this.write(view, `${state.count} more refused or blocked within ${REFUSAL_QUIET_MS / 1000} s; the last: ${state.last}`);
    state.count = 0;
    state.until = this.deps.clock.now() + REFUSAL_QUIET_MS;
  }

  private write(view: LoggedView, text: string): void {
    this.line(view, 'warning', text);
    this.deps.audit.recordSoon('app.refused', {
      serverId: view.serverId,
      serverName: view.serverName,
      actor: 'host',
      summary: `Refused the view of ${view.tool} on "${view.serverName}": ${text.slice(0, 500)}`,
      data: { viewId: view.viewId, tool: view.tool },
    });
  }
}
