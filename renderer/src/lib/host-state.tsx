// The live picture of the host every screen shares: servers, pending inbox items and running tasks, kept current by events.
import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { InboxChange, InboxItem } from '../../../shared/domain/inbox.js';
import type { ServerView } from '../../../shared/domain/servers.js';
import type { TaskView } from '../../../shared/domain/tasks.js';
import { applyInboxChange, inboxFrom, inboxList, type InboxMap } from './inbox-list.js';
import { call, onConnection, subscribe } from './steward.js';
import { toHostError, type Loaded } from './use-load.js';
import { useTaskActivity } from './use-task-activity.js';

export interface HostState {
  /** Sorted by name. */
  servers: Loaded<ServerView[]>;
  inbox: InboxItem[];
  /** Tasks working or waiting for input. */
  activeTasks: number;
  /** Follows running tasks as they complete, fail or are cancelled; returns the unsubscribe. */
  onTaskFinished: (listener: (task: TaskView) => void) => () => void;
  /** null until the first connection attempt settles (and always null under Electron). */
  connected: boolean | null;
  reload: () => void;
  /** Shows a view a call just returned, without waiting for its event. */
  upsert: (view: ServerView) => void;
}

const Context = createContext<HostState | null>(null);

type ServerMap = Loaded<Map<string, ServerView>>;

export function HostStateProvider({ children }: { children: ReactNode }) {
  const [servers, setServers] = useState<ServerMap>({ state: 'loading' });
  const [inboxItems, setInboxItems] = useState<InboxMap>(new Map());
  const [connected, setConnected] = useState<boolean | null>(null);
  const [epoch, setEpoch] = useState(0);
  const wasDown = useRef(false);
  const tasks = useTaskActivity(epoch);

  useEffect(() => {
    onConnection((status) => {
      setConnected(status.connected);
      // Events sent while the socket was down are lost: read everything again once it is back.
      if (status.connected && wasDown.current) setEpoch((e) => e + 1);
      wasDown.current = !status.connected;
    });
  }, []);

  useEffect(() => {
    let live = true;
    // Changes that arrive while the lists load are kept and applied, in order, on top of what the list says: the
    // last change of each server is at least as new as the list.
    let early: Array<(map: Map<string, ServerView>) => void> | null = [];
    let earlyInbox: InboxChange[] | null = [];
    // The inbox changes one item at a time; a change that comes before the list is applied on top of it.
    const inboxChanged = (change: InboxChange) => {
      if (earlyInbox) return void earlyInbox.push(change);
      setInboxItems((prev) => applyInboxChange(prev, change));
    };
    const update = (fn: (map: Map<string, ServerView>) => void) => {
      if (early) return void early.push(fn);
      setServers((prev) => {
        if (prev.state !== 'ready') return prev;
        const next = new Map(prev.data);
        fn(next);
        return { state: 'ready', data: next };
      });
    };
    const offs = [
      subscribe('servers:changed', (view) => update((m) => m.set(view.id, view))),
      subscribe('servers:removed', ({ serverId }) => update((m) => m.delete(serverId))),
      subscribe('inbox:changed', inboxChanged),
    ];
    Promise.all([call('servers:list', {}), call('inbox:list', {})]).then(
      ([list, items]) => {
        if (!live) return;
        const map = new Map(list.map((s) => [s.id, s]));
        for (const fn of early ?? []) fn(map);
        early = null;
        setServers({ state: 'ready', data: map });
        setInboxItems((earlyInbox ?? []).reduce(applyInboxChange, inboxFrom(items)));
        earlyInbox = null;
      },
      (error: unknown) => {
        if (!live) return;
        early = null;
        earlyInbox = null;
        setServers({ state: 'error', error: toHostError(error) });
      },
    );
    return () => {
      live = false;
      for (const off of offs) off();
    };
  }, [epoch]);

  const inbox = useMemo(() => inboxList(inboxItems), [inboxItems]);

  const value = useMemo<HostState>(() => {
    const sorted: Loaded<ServerView[]> =
      servers.state === 'ready' ? { state: 'ready', data: [...servers.data.values()].sort((a, b) => a.name.localeCompare(b.name)) } : servers;
    return {
      servers: sorted,
      inbox,
      activeTasks: tasks.active,
      onTaskFinished: tasks.onFinished,
      connected,
      reload: () => {
        setServers({ state: 'loading' });
        setEpoch((e) => e + 1);
      },
      upsert: (view) => setServers((prev) => (prev.state === 'ready' ? { state: 'ready', data: new Map(prev.data).set(view.id, view) } : prev)),
    };
  }, [servers, inbox, tasks, connected]);

  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useHostState(): HostState {
  const state = useContext(Context);
  if (!state) throw new Error('useHostState needs a HostStateProvider above it.');
  return state;
}
