// Tool calls in flight: one stop per call id, progress as events, an audit row per call.
import type { CallResult, Progress } from '../../../shared/domain/mcp.js';
import { StewardError } from '../../../shared/errors.js';
import { guarded } from '../background.js';
import { SERVER_LIMITS } from '../limits.js';
import type { Unexpected } from '../ports.js';
import { CallStop } from './call-stop.js';
import type { McpSession } from './session.js';

const PROGRESS_INTERVAL_MS = 1000 / SERVER_LIMITS.progressPerSecond;

/**
 * Passes progress on at most every PROGRESS_INTERVAL_MS, holding only the latest in between (a server may send
 * thousands a second); `end` sends the one still held, so the last word always arrives. A listener that throws is
 * reported (as `what`): neither the timer's flush nor the call itself fails because of it. Tool calls and tasks share it.
 */
export function paced(
  emit: (p: Omit<Progress, 'callId' | 'serverId'>) => void,
  now: () => number,
  unexpected: Unexpected,
  what = 'telling the progress of a tool call',
) {
  let last = Number.NEGATIVE_INFINITY;
  let held: Omit<Progress, 'callId' | 'serverId'> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    timer = undefined;
    if (!held) return;
    const p = held;
    held = undefined;
    last = now();
    guarded(unexpected, what, () => emit(p));
  };
  return {
    progress(p: Omit<Progress, 'callId' | 'serverId'>) {
      held = p;
      const wait = last + PROGRESS_INTERVAL_MS - now();
      if (wait <= 0) flush();
      else timer ??= setTimeout(flush, wait);
    },
    end() {
      if (timer) clearTimeout(timer);
      flush();
    },
  };
}

export interface ToolCallDeps {
  /** The server's live session, started if needed; `release` ends the "in use" mark. */
  acquire(serverId: string): Promise<{ session: McpSession; release: () => void; timeoutSeconds: number; serverName: string }>;
  progress(p: Progress): void;
  record(entry: { serverId: string; serverName: string; tool: string; argumentNames: string[]; outcome: string; ms: number }): void;
  /** A call ended (whatever its outcome); `ref` is the one inFlight gave for it. */
  ended?(serverId: string, ref: string): void;
  now(): number;
  unexpected: Unexpected;
}

export interface CallRequest {
  serverId: string;
  name: string;
  arguments: Record<string, unknown>;
  callId?: string | undefined;
  timeoutSeconds?: number | undefined;
}

export class ToolCalls {
  private readonly active = new Map<string, CallStop>();
  /** Every call in flight, tracked or not, so a server's requests can be tied to the call that caused them. */
  private readonly running = new Set<{ serverId: string; name: string; callId: string | null; ref: string }>();
  private nextRef = 1;

  constructor(private readonly deps: ToolCallDeps) {}

  /**
   * A call with a callId can be followed (progress events) and cancelled; one without is neither,
   * so it carries no progress token and no abort signal.
   */
  async call(request: CallRequest): Promise<CallResult> {
    const { callId } = request;
    if (callId !== undefined && this.active.has(callId)) throw new StewardError('invalid_payload', `A call with id "${callId}" is already running.`);
    const followed = callId === undefined ? undefined : { callId, stop: new CallStop() };
    if (followed) this.active.set(followed.callId, followed.stop);
    const started = this.deps.now();
    const entry = { serverId: request.serverId, name: request.name, callId: callId ?? null, ref: `call-${this.nextRef++}` };
    // Paced from the first progress the server sends: most calls send none.
    let pacer: ReturnType<typeof paced> | undefined;
    const onProgress =
      callId === undefined
        ? undefined
        : (p: Omit<Progress, 'callId' | 'serverId'>) =>
            (pacer ??= paced(
              (held) => this.deps.progress({ callId, serverId: request.serverId, ...held }),
              () => this.deps.now(),
              this.deps.unexpected,
            )).progress(p);
    this.running.add(entry);
    let outcome = 'error';
    let serverName = request.serverId;
    try {
      const { session, release, timeoutSeconds, serverName: name } = await this.deps.acquire(request.serverId);
      serverName = name;
      try {
        const result = await session.callTool(request.name, request.arguments, {
          timeoutMs: (request.timeoutSeconds ?? timeoutSeconds) * 1000,
          signal: followed?.stop.signal,
          onProgress,
        });
        outcome = result.isError ? 'tool_error' : 'ok';
        return result;
      } catch (error) {
        outcome = error instanceof StewardError ? error.code : 'error';
        throw error;
      } finally {
        release();
      }
    } finally {
      pacer?.end();
      this.running.delete(entry);
      this.deps.ended?.(request.serverId, entry.ref);
      if (callId !== undefined) this.active.delete(callId);
      this.deps.record({
        serverId: request.serverId,
        serverName,
        tool: request.name,
        argumentNames: Object.keys(request.arguments),
        outcome,
        ms: this.deps.now() - started,
      });
    }
  }

  inFlight(serverId: string): { callId: string | null; name: string; ref: string }[] {
    return [...this.running].filter((c) => c.serverId === serverId).map(({ callId, name, ref }) => ({ callId, name, ref }));
  }

  cancel(callId: string): void {
    const stop = this.active.get(callId);
    if (!stop) throw new StewardError('not_found', 'No call with that id is running.');
    stop.abort(new StewardError('cancelled', 'Cancelled by the user.'));
  }

  cancelAll(): void {
    for (const stop of this.active.values()) stop.abort();
  }
}
