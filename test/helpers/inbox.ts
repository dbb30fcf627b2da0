// Waiting for what a host asks the user: the first inbox item of a kind (and, when given, one that passes a test).
import type { InboxItem } from '../../shared/domain/inbox.js';
import type { TestHost } from './host.js';

type ItemOf<K extends InboxItem['kind']> = Extract<InboxItem, { kind: K }>;

/** Polls the inbox for up to 15 s. */
export async function nextInboxItem<K extends InboxItem['kind']>(
  host: TestHost['host'],
  kind: K,
  test: (item: ItemOf<K>) => boolean = () => true,
): Promise<ItemOf<K>> {
  for (let i = 0; i < 600; i++) {
    const item = host.inbox.list().find((x): x is ItemOf<K> => x.kind === kind && test(x as ItemOf<K>));
    if (item) return item;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no ${kind} item arrived`);
}
