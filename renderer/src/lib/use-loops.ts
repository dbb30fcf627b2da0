// Agent loops kept current: one page from the host, then every `sampling:changed` folded in, newest activity first.
import { useEffect, useState } from 'react';
import type { LoopView } from '../../../shared/domain/sampling.js';
import { call, subscribe } from './steward.js';
import { toHostError, type Loaded } from './use-load.js';

const PAGE = 50;

function summary({ entries: _entries, ...loop }: LoopView): LoopView {
  return loop;
}

function merge(list: LoopView[], more: Iterable<LoopView>): LoopView[] {
  const byId = new Map(list.map((l) => [l.id, l]));
  for (const loop of more) {
    const known = byId.get(loop.id);
    if (!known || known.updatedAt <= loop.updatedAt) byId.set(loop.id, summary(loop));
  }
  return [...byId.values()].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}

export interface Loops {
  loops: Loaded<LoopView[]>;
  hasOlder: boolean;
  loadOlder: () => Promise<void>;
  reload: () => void;
}

export function useLoops(serverId: string): Loops {
  const [loops, setLoops] = useState<Loaded<LoopView[]>>({ state: 'loading' });
  const [hasOlder, setHasOlder] = useState(false);
  const [epoch, setEpoch] = useState(0);

  useEffect(() => {
    let live = true;
    let loaded = false;
    // Changes that arrive while the first page loads are kept and applied on top of it.
    const early = new Map<string, LoopView>();
    const off = subscribe('sampling:changed', (loop) => {
      if (serverId && loop.serverId !== serverId) return;
      if (!loaded) early.set(loop.id, loop);
      else setLoops((prev) => (prev.state === 'ready' ? { state: 'ready', data: merge(prev.data, [loop]) } : prev));
    });
    setLoops({ state: 'loading' });
    call('sampling:loops', { limit: PAGE, ...(serverId ? { serverId } : {}) }).then(
      (page) => {
        if (!live) return;
        loaded = true;
        setHasOlder(page.length === PAGE);
        setLoops({ state: 'ready', data: merge(page.map(summary), early.values()) });
      },
      (error: unknown) => live && setLoops({ state: 'error', error: toHostError(error) }),
    );
    return () => {
      live = false;
      off();
    };
  }, [serverId, epoch]);

  const loadOlder = async () => {
    if (loops.state !== 'ready') return;
    const last = loops.data.at(-1);
    const page = await call('sampling:loops', { limit: PAGE, ...(serverId ? { serverId } : {}), ...(last ? { before: last.updatedAt } : {}) });
    setHasOlder(page.length === PAGE);
    setLoops((prev) => (prev.state === 'ready' ? { state: 'ready', data: merge(prev.data, page) } : prev));
  };

  return { loops, hasOlder, loadOlder, reload: () => setEpoch((e) => e + 1) };
}
