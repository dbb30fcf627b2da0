// One dialog at a time for a kind of inbox item: what waited before the app opened stays in the Inbox, a new item
// opens or waits its turn, a successor replaces the item that left, closing after an answer moves on and closing
// without one drops the queue. Hostile order tried: a late close from a dialog already replaced, a queued item
// answered elsewhere before its turn.
import { describe, expect, it } from 'vitest';
import { dialogClosed, EMPTY_QUEUE, inboxArrived, type QueueState } from '../../../renderer/src/lib/dialog-queue.js';

interface Item {
  id: string;
  serverId: string;
}
const item = (id: string, serverId = 's1'): Item => ({ id, serverId });
const sameServer = (current: Item, arrived: Item) => current.serverId === arrived.serverId;
const never = () => false;
const start = (items: Item[]): QueueState<Item> => inboxArrived(EMPTY_QUEUE as QueueState<Item>, items, never);

describe('the dialog queue', () => {
  it('leaves what waited before the app opened to the Inbox', () => {
    expect(start([item('a')])).toMatchObject({ open: null, queue: [] });
  });

  it('opens the first new item and queues the rest and those that come while it is open', () => {
    let s = inboxArrived(start([]), [item('a'), item('b')], never);
    expect(s).toMatchObject({ open: { id: 'a' }, queue: ['b'] });
    s = inboxArrived(s, [item('a'), item('b'), item('c')], never);
    expect(s).toMatchObject({ open: { id: 'a' }, queue: ['b', 'c'] });
  });

  it('moves on to the item that succeeds the one on screen when it leaves the inbox', () => {
    let s = inboxArrived(start([]), [item('a', 's1')], sameServer);
    s = inboxArrived(s, [item('x', 's2'), item('a2', 's1')], sameServer);
    expect(s).toMatchObject({ open: { id: 'a2' }, queue: ['x'] });
  });

  it('after an answer opens the next queued item still in the inbox, skipping those answered elsewhere', () => {
    const s = inboxArrived(start([]), [item('a'), item('b'), item('c')], never);
    const inbox = new Map([['c', item('c')]]);
    expect(dialogClosed(s, 'a', true, (id) => inbox.get(id))).toMatchObject({ open: { id: 'c' }, queue: [] });
  });

  it('without an answer closes and drops the queue (the items stay in the Inbox)', () => {
    const s = inboxArrived(start([]), [item('a'), item('b')], never);
    expect(dialogClosed(s, 'a', false, (id) => item(id))).toMatchObject({ open: null, queue: [] });
  });

  it('ignores a late close from a dialog another item has replaced', () => {
    const s = inboxArrived(start([]), [item('a'), item('b')], never);
    expect(dialogClosed(s, 'b', true, (id) => item(id))).toBe(s);
  });
});
