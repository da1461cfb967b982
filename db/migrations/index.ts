import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';

/**
 * Every migration, in order. A static list (rather than reading the folder) keeps migrations
 * type-checked and lets the compiled build run them without touching the file system.
 * Add new files with the next number and list them here.
 */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
};
