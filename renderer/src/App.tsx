// The application shell.
import { useEffect, useState } from 'react';
import type { ServerView } from '../../shared/domain/servers.js';
import { call } from './lib/steward.js';

export function App() {
  const [servers, setServers] = useState<ServerView[] | null>(null);
  useEffect(() => {
    void call('servers:list', {}).then(setServers);
  }, []);
  return <main>{servers === null ? 'Loading…' : servers.map((s) => <div key={s.id}>{s.name}</div>)}</main>;
}
