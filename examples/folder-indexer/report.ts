// Turns an index run into what the tool returns: the numbers as structured content, and a report a person can read.
import type { IndexRun, Pace } from './indexer.js';

const TOP_WORDS = 30;
const TOP_FILES = 10;
const TOP_DUPLICATES = 10;

export interface IndexSummary {
  [key: string]: unknown;
  folder: string;
  pace: Pace;
  files: number;
  textFiles: number;
  unreadableFiles: number;
  bytes: number;
  lines: number;
  words: number;
  truncated: boolean;
  elapsedMs: number;
  /** Groups of identical non-empty files, most wasted space first. */
  duplicates: { sha256: string; size: number; files: string[] }[];
  largest: { path: string; size: number }[];
  commonWords: { word: string; count: number }[];
}

export function summarize(run: IndexRun, pace: Pace): IndexSummary {
  const byHash = new Map<string, { size: number; files: string[] }>();
  for (const file of run.files) {
    if (file.size === 0) continue;
    const group = byHash.get(file.sha256) ?? { size: file.size, files: [] };
    group.files.push(file.path);
    byHash.set(file.sha256, group);
  }
  const duplicates = [...byHash.entries()]
    .filter(([, g]) => g.files.length > 1)
    .map(([sha256, g]) => ({ sha256, size: g.size, files: g.files }))
    .sort((a, b) => b.size * (b.files.length - 1) - a.size * (a.files.length - 1));
  const text = run.files.filter((f) => f.text);
  return {
    folder: run.folder,
    pace,
    files: run.files.length,
    textFiles: text.length,
    unreadableFiles: run.unreadable.length,
    bytes: run.files.reduce((n, f) => n + f.size, 0),
    lines: text.reduce((n, f) => n + (f.text?.lines ?? 0), 0),
    words: text.reduce((n, f) => n + (f.text?.words ?? 0), 0),
    truncated: run.truncated,
    elapsedMs: run.elapsedMs,
    duplicates: duplicates.slice(0, TOP_DUPLICATES),
    largest: [...run.files]
      .sort((a, b) => b.size - a.size)
      .slice(0, TOP_FILES)
      .map((f) => ({ path: f.path, size: f.size })),
    commonWords: [...run.vocabulary.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, TOP_WORDS)
      .map(([word, count]) => ({ word, count })),
  };
}

export function count(n: number, noun: string): string {
  return `${n.toLocaleString('en')} ${noun}${n === 1 ? '' : 's'}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

export function formatReport(s: IndexSummary, finishedAt: Date): string {
  const lines = [
    `Index of ${s.folder}`,
    `Finished ${finishedAt.toISOString()} after ${(s.elapsedMs / 1000).toFixed(1)} s (${s.pace} pace).`,
    '',
    `${count(s.files, 'file')}, ${formatBytes(s.bytes)}. ${count(s.textFiles, 'text file')} with ${count(s.lines, 'line')} and ${count(s.words, 'word')}.`,
  ];
  if (s.unreadableFiles > 0) lines.push(`${count(s.unreadableFiles, 'file')} could not be read.`);
  if (s.truncated) lines.push(`The folder has more files than one index covers; only the first ${s.files} were indexed.`);

  lines.push('', 'Largest files:');
  lines.push(...(s.largest.length > 0 ? s.largest.map((f) => `  ${formatBytes(f.size).padStart(9)}  ${f.path}`) : ['  (none)']));

  lines.push('', 'Duplicate files (same content):');
  if (s.duplicates.length === 0) lines.push('  none found');
  for (const d of s.duplicates) lines.push(`  ${d.files.length} × ${formatBytes(d.size)} (sha256 ${d.sha256.slice(0, 12)}…): ${d.files.join(', ')}`);

  lines.push('', `Most common words (${s.commonWords.length}):`);
  lines.push(s.commonWords.length > 0 ? `  ${s.commonWords.map((w) => `${w.word} ${w.count}`).join(', ')}` : '  (no text files)');
  return lines.join('\n');
}
