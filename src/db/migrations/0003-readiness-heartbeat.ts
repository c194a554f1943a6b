import type { Kysely } from 'kysely';

/*
 * One row that `/readyz` rewrites to prove the database takes writes (a read-only file, a full
 * disk or a stuck lock make it fail). Portable DDL, Kysely<any>: see 0001-initial.
 */

/** Creates readiness_heartbeat. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('readiness_heartbeat')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('checked_at', 'text', (c) => c.notNull())
    .execute();
}

/** Drops it (tests and manual rollback only). */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('readiness_heartbeat').execute();
}
