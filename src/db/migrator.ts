import { Migrator, sql, type Kysely, type Migration } from 'kysely';
import { dialectOf } from './dialect.js';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';

/**
 * On PostgreSQL Kysely takes a session advisory lock (pg_advisory_lock) and then runs the pending
 * migrations in one transaction, so a second instance starting at the same moment waits and then
 * finds nothing left to do. Its bookkeeping tables are looked up by name in every schema unless a
 * schema is named, so the current one (search_path's first) is named: another schema's
 * kysely_migration (another app, or another test's schema) must not count as ours.
 */
async function migratorFor(db: Kysely<Database>, list: Readonly<Record<string, Migration>> = migrations): Promise<Migrator> {
  const provider = { getMigrations: async () => ({ ...list }) };
  if (dialectOf(db) !== 'postgres') return new Migrator({ db, provider });
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema) throw new Error('PostgreSQL has no current schema (check the role\'s search_path)');
  return new Migrator({ db, provider, migrationTableSchema: schema });
}

/**
 * Applies every pending migration, in order. Safe to call at every start-up: already
 * applied ones are skipped. All pending migrations run in ONE transaction (both dialects report
 * transactional DDL, see sqlite-dialect.ts), under a lock another process waits for: on any failure, or if the process dies halfway,
 * none of them is applied, and the next start tries again from the same state. Throws the
 * first failure. `list` is for tests; the app always runs migrations/index.ts.
 */
export async function migrateToLatest(db: Kysely<Database>, list?: Readonly<Record<string, Migration>>): Promise<string[]> {
  const { error, results } = await (await migratorFor(db, list)).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Database migration ${failed} failed (${reason}); no pending migration was applied`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Which migrations ran and which are pending, for a readiness check. */
export async function migrationStatus(
  db: Kysely<Database>,
): Promise<{ applied: string[]; pending: string[] }> {
  const all = await (await migratorFor(db)).getMigrations();
  return {
    applied: all.filter((m) => m.executedAt !== undefined).map((m) => m.name),
    pending: all.filter((m) => m.executedAt === undefined).map((m) => m.name),
  };
}
