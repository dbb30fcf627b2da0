// The OAuth lab fixture (test/fixtures/oauth-lab.mjs) and the user's side of a browser sign-in, for the auth tests.
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Host } from '../../main/core/host.js';
import type { InboxItem } from '../../shared/domain/inbox.js';
import type { TestHost } from './host.js';
import { FIXTURES } from './paths.js';
import { startListening, type Started } from './processes.js';
import type { Undo } from './cleanup.js';
import { waitFor } from './cli.js';

export type SignInItem = Extract<InboxItem, { kind: 'auth' }>;

export interface LogEntry {
  server: 'resource' | 'one' | 'two';
  method: string;
  path: string;
  query?: Record<string, string>;
  authorization: string | null;
  dpop: string | null;
  body?: Record<string, string>;
  proof?: string;
}

export interface Lab extends Started {
  resource: string;
  first: string;
  second: string;
  log(): Promise<LogEntry[]>;
  move(): Promise<void>;
  workloadToken(aud: string, expSeconds?: number): Promise<string>;
}

export async function startLab(flags: string[], cleanup: Undo): Promise<Lab> {
  const started = await startListening([join(FIXTURES, 'oauth-lab.mjs'), ...flags]);
  cleanup(() => started.stop());
  const admin = `http://127.0.0.1:${started.port}/admin`;
  const info = (await (await fetch(`${admin}/info`)).json()) as { resource: string; first: string; second: string };
  return {
    ...started,
    ...info,
    log: async () => (await (await fetch(`${admin}/log`)).json()) as LogEntry[],
    move: async () => {
      await fetch(`${admin}/move`, { method: 'POST' });
    },
    workloadToken: async (aud, exp = 300) =>
      ((await (await fetch(`${admin}/workload-token?aud=${encodeURIComponent(aud)}&exp=${exp}`)).json()) as { token: string }).token,
  };
}

export async function until(test: () => boolean | Promise<boolean>, what: string): Promise<void> {
  await waitFor(what, test);
}

export async function nextSignIn(host: Host, test: (item: SignInItem) => boolean = () => true): Promise<SignInItem> {
  let found: SignInItem | undefined;
  await until(() => {
    found = host.inbox.list().find((x): x is SignInItem => x.kind === 'auth' && test(x));
    return found !== undefined;
  }, 'a sign-in item');
  return found!;
}

/** The user clicks "Sign in" and the browser does the rest: the authorization server redirects straight back. */
export async function completeSignIn(t: TestHost, item: SignInItem): Promise<Response> {
  await t.host.inbox.decide(item.id, { kind: 'auth', action: 'open' });
  const page = await fetch(t.opened.at(-1)!, { redirect: 'manual' });
  const back = page.headers.get('location');
  expect(back).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback\?/);
  return fetch(back!);
}
