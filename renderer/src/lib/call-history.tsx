// What the user ran from a server's Tools tab this session, kept with that server rather than with the tab: a call's
// result (or error) and the tasks started from a tool are still there after the user looks elsewhere and comes back.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { CallResult } from '../../../shared/domain/mcp.js';
import type { TaskView } from '../../../shared/domain/tasks.js';
import { subscribe, type HostError } from './steward.js';

export type CallOutcome = { result: CallResult } | { error: HostError };

export interface CallEntry {
  tool: string;
  /** The arguments as the user wrote them. */
  args: string;
  at: string;
  outcome: CallOutcome;
}

interface ServerHistory {
  /** The last call of each tool. */
  calls: Map<string, CallEntry>;
  /** Tasks started from this server's tools, newest first, kept current. */
  tasks: TaskView[];
}

interface CallHistory {
  history(serverId: string): ServerHistory | undefined;
  record(serverId: string, entry: CallEntry): void;
  started(serverId: string, task: TaskView): void;
}

const Context = createContext<CallHistory | null>(null);
/** Started tasks remembered per server; the task center has them all. */
const TASKS_KEPT = 20;

export function CallHistoryProvider({ children }: { children: ReactNode }) {
  const [servers, setServers] = useState<ReadonlyMap<string, ServerHistory>>(new Map());
  const update = useCallback((serverId: string, change: (h: ServerHistory) => ServerHistory) => {
    setServers((prev) => {
      const next = new Map(prev);
      next.set(serverId, change(prev.get(serverId) ?? { calls: new Map(), tasks: [] }));
      return next;
    });
  }, []);
  // Followed here, not in the tab: a task that ends while the user looks elsewhere shows its end when they come back.
  useEffect(
    () =>
      subscribe('tasks:changed', (task) =>
        setServers((prev) => {
          const h = prev.get(task.serverId);
          if (!h?.tasks.some((t) => t.id === task.id && t.updatedAt <= task.updatedAt)) return prev;
          return new Map(prev).set(task.serverId, { ...h, tasks: h.tasks.map((t) => (t.id === task.id ? task : t)) });
        }),
      ),
    [],
  );
  const value = useMemo<CallHistory>(
    () => ({
      history: (serverId) => servers.get(serverId),
      record: (serverId, entry) => update(serverId, (h) => ({ ...h, calls: new Map(h.calls).set(entry.tool, entry) })),
      started: (serverId, task) => update(serverId, (h) => ({ ...h, tasks: [task, ...h.tasks.filter((t) => t.id !== task.id)].slice(0, TASKS_KEPT) })),
    }),
    [servers, update],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useCallHistory(): CallHistory {
  const history = useContext(Context);
  if (!history) throw new Error('useCallHistory needs a CallHistoryProvider above it.');
  return history;
}
