// The steward command run as a real process against a data folder, and polling with a deadline (never a bare sleep).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, NODE } from './paths.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a steward command to its end; `input`, when given, is what it reads on stdin. */
export function steward(home: string, args: string[], env: Record<string, string> = {}, input?: string): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = execFile(NODE, [CLI, ...args], { env: { ...process.env, ...env, STEWARD_HOME: home }, timeout: 90_000 }, (error, stdout, stderr) => {
      const signal = error?.signal ? ` (killed by ${error.signal})` : '';
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr: `${stderr}${signal}` });
    });
    child.stdin?.end(input);
  });
}

/**
 * Runs a steward command as a newcomer would: from `home`, with HOME there and Steward's data in `home`/data. Registry
 * downloads happen inside such commands, so each may take minutes on a slow network.
 */
export function stewardAt(home: string, ...args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = execFile(
      NODE,
      [CLI, ...args],
      { env: { ...process.env, HOME: home, STEWARD_HOME: join(home, 'data') }, cwd: home, timeout: 240_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
    child.stdin!.end();
  });
}

/** A steward command left running (to be interrupted or killed); its output is collected as it comes. */
export function stewardChild(home: string, args: string[], env: Record<string, string> = {}): ChildProcess & { output: { stdout: string; stderr: string } } {
  const child = spawn(NODE, [CLI, ...args], { env: { ...process.env, ...env, STEWARD_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (c: string) => void (output.stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => void (output.stderr += c));
  return Object.assign(child, { output });
}

export function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Polls `probe` until it returns something other than undefined/false (an empty list counts: return undefined), or fails after `ms`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    let value: T | undefined | false;
    try {
      value = await probe();
    } catch {
      value = undefined;
    }
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** One read-only query on the data folder's database, from outside any host. */
export function query<T>(home: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(home, 'steward.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** Whether a process runs (a zombie waiting to be reaped does not). */
export function running(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return state !== undefined && state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}
