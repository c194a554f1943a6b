import type { Kysely } from 'kysely';

/*
 * State that several instances must share (issue 13): rate-limit and login-throttle counters, and
 * a generation number per cache so that one instance's change makes the others refetch.
 * Portable DDL, Kysely<any>: see 0001-initial. Numbered 0008 to leave 0006 and 0007 to issue 12.
 */

export async function up(db: Kysely<any>): Promise<void> {
  // One row per (limiter, key): a fixed window from the key's first hit, like express-rate-limit's
  // MemoryStore. `key` is already a hash or a user id (never what was typed).
  await db.schema
    .createTable('rate_limit_hits')
    .addColumn('store', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('reset_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_limit_hits_pk', ['store', 'key'])
    .execute();
  await db.schema.createIndex('rate_limit_hits_reset_idx').on('rate_limit_hits').column('reset_at').execute();

  await db.schema
    .createTable('cache_generations')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('generation', 'integer', (c) => c.notNull())
    .execute();
}

/** Drops both (tests and manual rollback only). */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('cache_generations').execute();
  await db.schema.dropTable('rate_limit_hits').execute();
}
