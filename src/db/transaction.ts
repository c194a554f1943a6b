import type { Transaction } from 'kysely';
import type { Executor } from './database.js';
import type { Database } from './schema.js';

/**
 * Runs `work` in a transaction: a new one on a Kysely instance, or the caller's own when
 * given a Transaction (Kysely cannot nest them), so services compose into bigger changes.
 */
export function inTransaction<T>(db: Executor, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db as Transaction<Database>);
  return db.transaction().execute(work);
}
