// The ordered list of schema migrations; each file is NNNN-name.ts and never changes once released.
import type Database from 'better-sqlite3';
import initial from './0001-initial.js';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: readonly Migration[] = [initial];
