/**
 * The one place that tells the two databases apart. Everything else writes portable Kysely
 * (schema builder, `onConflict`, text times and ids); code that must differ asks `dialectOf`.
 * Kept to: the migration lock's schema (migrator.ts), one constraint change SQLite cannot ALTER
 * (0005), and each dialect's connection set-up (sqlite-dialect.ts, postgres-dialect.ts).
 */
import { PostgresAdapter, type Kysely } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

export function dialectOf(db: Kysely<any>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
