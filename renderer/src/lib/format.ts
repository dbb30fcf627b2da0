// How values read on screen: statuses, sizes, times and JSON.
import type { OwnerTag, ServerStatus } from '../../../shared/domain/servers.js';

type Tone = 'ok' | 'busy' | 'attention' | 'danger' | 'idle';

export const STATUS: Record<ServerStatus, { label: string; tone: Tone }> = {
  running: { label: 'running', tone: 'ok' },
  downloading: { label: 'downloading', tone: 'busy' },
  starting: { label: 'starting', tone: 'busy' },
  stopping: { label: 'stopping', tone: 'busy' },
  awaiting_consent: { label: 'awaiting consent', tone: 'attention' },
  backoff: { label: 'restarting soon', tone: 'attention' },
  crashed: { label: 'crashed', tone: 'danger' },
  error: { label: 'error', tone: 'danger' },
  stopped: { label: 'stopped', tone: 'idle' },
};

export function formatMemory(bytes: number | null): string {
  if (bytes === null) return '—';
  const mb = bytes / (1024 * 1024);
  return `${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

export function formatClock(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : timeOnly.format(d);
}

export function formatAgo(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (seconds < 60) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return formatDateTime(iso);
}

/** JSON.stringify gives undefined for undefined (and a function), whatever its typings say. */
const stringify: (value: unknown) => string | undefined = (value) => JSON.stringify(value, null, 2);

export function toJson(value: unknown): string {
  return stringify(value) ?? 'undefined';
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

const whole = new Intl.NumberFormat('en-US');

export function formatNumber(n: number): string {
  return whole.format(n);
}

/** Dollar estimates: cents are too coarse for one request, so small amounts keep four decimals. */
export function formatUsd(usd: number): string {
  return `$${usd >= 1 ? usd.toFixed(2) : usd.toFixed(4)}`;
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** A span of time at the precision a person reads it: "45 s", "3 min 20 s", "2 h 5 min", "3 d 4 h". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** A time today as the clock shows it; an earlier one with its date. */
export function formatMoment(iso: string, now = Date.now()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toDateString() === new Date(now).toDateString() ? timeOnly.format(d) : dateTime.format(d);
}

/** Another Steward process as a person would name it: "the app (pid 4242)", "a steward command (pid 77)". */
export function ownerWords(owner: OwnerTag): string {
  const what = owner.kind === 'app' ? 'the app' : owner.kind === 'browser' ? 'browser mode' : owner.kind === 'cli' ? 'a steward command' : 'another Steward';
  return `${what} (pid ${owner.pid})`;
}
