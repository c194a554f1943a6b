import type { Migration } from 'kysely';
import * as initial from './0001-initial.js';
import * as demoAccounts from './0002-demo-accounts.js';

/**
 * Every migration, listed by hand. A static list (not FileMigrationProvider) works the same
 * under tsx and from the compiled dist/, and bundles cleanly. Names sort in run order.
 * All pending ones run in one transaction (see migrator.ts), so a migration cannot use
 * statements SQLite refuses inside a transaction (VACUUM; PRAGMA foreign_keys is ignored there).
 */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001-initial': initial,
  '0002-demo-accounts': demoAccounts,
};
