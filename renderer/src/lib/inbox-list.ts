// The inbox as the UI keeps it: the list read once, then one change at a time (an item added, replacing an older one of
// the same key, or removed). Applying a change twice, or one the list already reflects, changes nothing.
import type { InboxChange, InboxItem } from '../../../shared/domain/inbox.js';

export type InboxMap = ReadonlyMap<string, InboxItem>;

export function inboxFrom(items: readonly InboxItem[]): InboxMap {
  return new Map(items.map((item) => [item.id, item]));
}

export function applyInboxChange(items: InboxMap, change: InboxChange): InboxMap {
  const next = new Map(items);
  if (change.change === 'removed') {
    next.delete(change.id);
    return next;
  }
  if (change.replaces !== undefined) next.delete(change.replaces);
  next.delete(change.item.id);
  next.set(change.item.id, change.item);
  return next;
}

/** Oldest first, as the Inbox screen lists them. */
export function inboxList(items: InboxMap): InboxItem[] {
  return [...items.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}
