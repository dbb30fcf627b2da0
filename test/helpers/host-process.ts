// A Steward host running in a child process (test/fixtures/host-runner.mjs): contract calls over its stdio, the events
// it prints, and kill -9 for the tests that need a host to die.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { CallInput, CallName, CallOutput } from '../../shared/contract/index.js';
import { FIXTURES, NODE } from './paths.js';

export interface HostProcess {
  child: ChildProcess;
  pid: number;
  /** Every event line printed so far, oldest first. */
  events: Array<{ event: string; payload: unknown }>;
  call<K extends CallName>(name: K, payload: CallInput<K>): Promise<CallOutput<K>>;
  /** Sends a call without waiting for it (one that blocks on a question, say); its answer arrives later. */
  send<K extends CallName>(name: K, payload: CallInput<K>): Promise<{ ok: boolean; data?: unknown; code?: string; message?: string }>;
  /** Resolves with the first event line that satisfies `match` (earlier ones count too). */
  waitForEvent(match: (e: { event: string; payload: unknown }) => boolean, what: string, ms?: number): Promise<{ event: string; payload: unknown }>;
  killHard(): Promise<void>;
  /** Closes stdin: the host disposes itself and exits. */
  close(): Promise<void>;
}

export interface HostProcessOptions {
  sandbox?: boolean;
  kind?: string;
  leaseMs?: number;
  sampleIntervalMs?: number;
  events?: string[];
  env?: Record<string, string>;
}

export async function startHostProcess(home: string, options: HostProcessOptions = {}): Promise<HostProcess> {
  const child = spawn(NODE, [join(FIXTURES, 'host-runner.mjs'), JSON.stringify(options)], {
    env: { ...process.env, ...options.env, STEWARD_HOME: home },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const events: Array<{ event: string; payload: unknown }> = [];
  const waiting = new Map<number, (outcome: { ok: boolean; data?: unknown; code?: string; message?: string }) => void>();
  const watchers = new Set<() => void>();
  let stderr = '';
  let buffer = '';
  let nextId = 1;
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => void (stderr += chunk));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) !== -1) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      let message: { id?: number; outcome?: { ok: boolean }; event?: string; payload?: unknown };
      try {
        message = JSON.parse(line) as typeof message;
      } catch {
        continue;
      }
      if (message.id !== undefined && message.outcome) {
        waiting.get(message.id)?.(message.outcome);
        waiting.delete(message.id);
      } else if (message.event) {
        events.push({ event: message.event, payload: message.payload });
        for (const watcher of watchers) watcher();
      }
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const waitForEvent = (match: (e: { event: string; payload: unknown }) => boolean, what: string, ms = 30_000) =>
    new Promise<{ event: string; payload: unknown }>((resolve, reject) => {
      const check = () => {
        const found = events.find(match);
        if (found) {
          watchers.delete(check);
          clearTimeout(timer);
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        watchers.delete(check);
        reject(new Error(`no ${what} from the host process; its stderr: ${stderr.slice(-2000)}`));
      }, ms);
      watchers.add(check);
      check();
    });

  const send = <K extends CallName>(name: K, payload: CallInput<K>) =>
    new Promise<{ ok: boolean; data?: unknown; code?: string; message?: string }>((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      child.stdin.write(`${JSON.stringify({ id, name, payload })}\n`);
    });

  // A whole host takes tens of seconds to start on a machine loaded as CI's is. One that never gets ready is killed here:
  // the caller gets no handle to stop it with.
  await waitForEvent((e) => e.event === 'ready', 'ready line', 45_000).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return {
    child,
    pid: child.pid!,
    events,
    send,
    async call(name, payload) {
      const outcome = await send(name, payload);
      if (!outcome.ok) throw Object.assign(new Error(`${name}: ${outcome.message}`), { code: outcome.code });
      return outcome.data as CallOutput<typeof name>;
    },
    waitForEvent,
    killHard: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin.end();
      await exited;
    },
  };
}
