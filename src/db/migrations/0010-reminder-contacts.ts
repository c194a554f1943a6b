import type { Kysely } from 'kysely';

/*
 * Reminder contacts (issue 12, parts 3 and 4): for an organization whose admins have no account,
 * support sets an e-mail address that gets its expiry reminders, each with a fresh one-time upload
 * link. One row per organization (its Facturapi id), or none. An address is no secret (the audit
 * trail names it too). Portable DDL only (see 0001-initial): text ids and ISO-8601 UTC text times.
 */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('reminder_contacts')
    .addColumn('organization_id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('set_by', 'text')
    .addColumn('set_at', 'text', (c) => c.notNull())
    .execute();
}

/** Drops it (tests and manual rollback only). */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('reminder_contacts').execute();
}
