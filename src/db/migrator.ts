import { Migrator, type Kysely, type Migration } from 'kysely';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';

function migratorFor(db: Kysely<Database>, list: Readonly<Record<string, Migration>> = migrations): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => ({ ...list }) } });
}

/**
 * Applies every pending migration, in order. Safe to call at every start-up: already
 * applied ones are skipped. All pending migrations run in ONE transaction (the dialect reports
 * transactional DDL, see sqlite-dialect.ts): on any failure, or if the process dies halfway,
 * none of them is applied, and the next start tries again from the same state. Throws the
 * first failure. `list` is for tests; the app always runs migrations/index.ts.
 */
export async function migrateToLatest(db: Kysely<Database>, list?: Readonly<Record<string, Migration>>): Promise<string[]> {
  const { error, results } = await migratorFor(db, list).migrateToLatest();
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
  const all = await migratorFor(db).getMigrations();
  return {
    applied: all.filter((m) => m.executedAt !== undefined).map((m) => m.name),
    pending: all.filter((m) => m.executedAt === undefined).map((m) => m.name),
  };
}
