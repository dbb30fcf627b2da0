// The UI's inbox, kept by applying one change at a time: additions, replacements, removals, changes that arrived before
// the list (already reflected in it, or not), and the same change twice.
import { describe, expect, it } from 'vitest';
import type { InboxChange, InboxItem } from '../../../shared/domain/inbox.js';
import { applyInboxChange, inboxFrom, inboxList } from '../../../renderer/src/lib/inbox-list.js';

function item(id: string, second: number): InboxItem {
  return {
    id,
    kind: 'auth',
    serverId: 's1',
    serverName: 'files',
    createdAt: `2026-01-01T10:00:${String(second).padStart(2, '0')}.000Z`,
    request: {
      serverUrl: 'https://mcp.example.com/mcp',
      authorizationUrl: 'https://auth.example.com/authorize',
      verdict: {
        allowed: true,
        problems: [],
        warnings: [],
        display: 'https://auth.example.com/authorize',
        host: 'auth.example.com',
        canonical: 'https://auth.example.com/authorize',
      },
      reason: 'sign_in',
      scopes: [],
      stage: 'consent',
    },
  };
}

const ids = (changes: InboxChange[], start: InboxItem[] = []) => inboxList(changes.reduce(applyInboxChange, inboxFrom(start))).map((i) => i.id);

describe('the inbox kept from changes', () => {
  it.each<[string, InboxItem[], InboxChange[], string[]]>([
    [
      'adds in order of arrival',
      [],
      [
        { change: 'added', item: item('a', 1) },
        { change: 'added', item: item('b', 2) },
      ],
      ['a', 'b'],
    ],
    ['removes', [item('a', 1), item('b', 2)], [{ change: 'removed', id: 'a' }], ['b']],
    ['replaces the item of the same key', [item('a', 1)], [{ change: 'added', item: item('a2', 3), replaces: 'a' }], ['a2']],
    ['ignores the removal of an item it never had', [item('a', 1)], [{ change: 'removed', id: 'zz' }], ['a']],
    [
      'takes the same addition twice as one',
      [],
      [
        { change: 'added', item: item('a', 1) },
        { change: 'added', item: item('a', 1) },
      ],
      ['a'],
    ],
    ['applies an early addition the list already has', [item('a', 1)], [{ change: 'added', item: item('a', 1) }], ['a']],
    [
      'applies an early removal the list already reflects',
      [item('b', 2)],
      [
        { change: 'added', item: item('a', 1) },
        { change: 'removed', id: 'a' },
      ],
      ['b'],
    ],
    ['lists oldest first whatever the order of arrival', [item('c', 5)], [{ change: 'added', item: item('a', 1) }], ['a', 'c']],
  ])('%s', (_name, start, changes, expected) => {
    expect(ids(changes, start)).toEqual(expected);
  });

  it('never changes the map it was given', () => {
    const start = inboxFrom([item('a', 1)]);
    applyInboxChange(start, { change: 'removed', id: 'a' });
    expect([...start.keys()]).toEqual(['a']);
  });
});
