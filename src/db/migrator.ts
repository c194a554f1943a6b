import { Migrator, type Kysely, type MigrationProvider } from 'kysely';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';

const provider: MigrationProvider = { getMigrations: async () => ({ ...migrations }) };

function migratorFor(db: Kysely<Database>): Migrator {
  return new Migrator({ db, provider });
}

/**
 * Applies every pending migration, in order. Safe to call at every start-up: already
 * applied ones are skipped. Throws the first failure (that migration is rolled back).
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const { error, results } = await migratorFor(db).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Database migration ${failed} failed`, { cause: error });
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
