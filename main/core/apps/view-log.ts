// What views do, in their server's log (and refusals in the audit record): every relayed request on a line of its own,
// refusals at once, and a flood of refusals as one summary line every two seconds instead of thousands.
import type { LogLine } from '../../../shared/domain/servers.js';
import type { Audit } from '../audit/index.js';
import type { Clock } from '../ports.js';

/** How long a quiet spell is: refusals repeated within it are counted, and written as a summary at its end. */
export const REFUSAL_QUIET_MS = 2000;
/** Different refusals written at once per spell; past that, they are counted too. */
export const REFUSAL_LINES = 10;
/** Summary lines per spell, each for one kind of refusal; the rest go on one line. */
const SUMMARY_LINES = 5;
/** Kinds remembered per view, so a view refused in endless distinct ways cannot grow the host's memory without end. */
const KINDS_KEPT = 200;

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

interface Spell {
  start: number;
  written: number;
  /** Kinds of refusal already written (or summarized) while the view keeps refusing. */
  seen: Set<string>;
  pending: Map<string, { count: number; last: string }>;
  timer: { cancel: () => void } | undefined;
}

export class ViewLog {
  private readonly spells = new Map<string, Spell>();

  constructor(private readonly deps: ViewLogDeps) {}

  line(view: LoggedView, level: LogLine['level'], text: string): void {
    this.deps.log(view.serverId, level, `[view of ${view.tool}] ${text}`);
  }

  /**
   * Something the view asked for and did not get ("refused tools/call x: why", "its CSP blocked …"). Each different
   * refusal is written at once; the same one again, or more than a few different ones, within a quiet spell are counted
   * and summarized when it ends, so a flood costs a few lines, not thousands, and no kind of refusal goes unsaid.
   */
  refused(view: LoggedView, text: string): void {
    const now = this.deps.clock.now();
    let spell = this.spells.get(view.viewId);
    if (!spell || (now - spell.start >= REFUSAL_QUIET_MS && spell.pending.size === 0 && !spell.timer)) {
      spell = { start: now, written: 0, seen: new Set(), pending: new Map(), timer: undefined };
      this.spells.set(view.viewId, spell);
    }
    if (!spell.seen.has(text) && spell.written < REFUSAL_LINES && spell.seen.size < KINDS_KEPT) {
      spell.seen.add(text);
      spell.written += 1;
      this.write(view, text);
      return;
    }
    // Past the kinds kept, further new kinds share one count under the last of them.
    const key = spell.pending.has(text) || spell.pending.size < KINDS_KEPT ? text : '';
    const pending = spell.pending.get(key) ?? { count: 0, last: '' };
    pending.count += 1;
    pending.last = text;
    spell.pending.set(key, pending);
    spell.timer ??= this.deps.clock.setTimeout(() => this.summarize(view), Math.max(0, spell.start + REFUSAL_QUIET_MS - now));
  }

  /** Writes what is still counted (a view closing says how its flood ended). */
  flush(view: LoggedView): void {
    const spell = this.spells.get(view.viewId);
    spell?.timer?.cancel();
    if (spell) this.summarize(view);
    this.spells.delete(view.viewId);
  }

  private summarize(view: LoggedView): void {
    const spell = this.spells.get(view.viewId);
    if (!spell) return;
    spell.timer = undefined;
    const within = `within ${REFUSAL_QUIET_MS / 1000} s`;
    const counted = [...spell.pending.values()];
    for (const { count, last } of counted.slice(0, SUMMARY_LINES)) this.write(view, `${count} more like this ${within}: ${last}`);
    const rest = counted.slice(SUMMARY_LINES);
    if (rest.length > 0) {
      const kinds = `${rest.length}${spell.pending.has('') ? ' or more' : ''}`;
      this.write(view, `${rest.reduce((sum, k) => sum + k.count, 0)} more refused or blocked ${within}, of ${kinds} other kinds`);
    }
    // A view still at it keeps being summarized; one that went quiet starts afresh with its next refusal.
    spell.pending = new Map();
    spell.start = this.deps.clock.now();
    spell.written = 0;
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
