import type { Kysely } from 'kysely';

/*
 * Expiry reminders (issue 12, part 3). One row per (organization, credential kind, certificate
 * number, threshold) is inserted before anything is sent: the unique key makes the insert the
 * claim, so no restart, second process or second instance sends the same reminder again. A job
 * lease row keeps two runs of the daily job from working at the same time.
 * Portable DDL only (see 0001-initial).
 */

/** Creates expiry_reminders and job_leases. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('expiry_reminders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    // 'csd' today; 'fiel' when the e.firma is handled (issue 12, part 1).
    .addColumn('credential_kind', 'text', (c) => c.notNull())
    .addColumn('certificate_number', 'text', (c) => c.notNull())
    .addColumn('threshold_days', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('days_left', 'integer', (c) => c.notNull())
    .addColumn('claimed_at', 'text', (c) => c.notNull())
    .addColumn('claimed_by', 'text', (c) => c.notNull())
    // claimed -> sent | failed (some recipient's message could not be delivered; retried by a later run)
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addUniqueConstraint('expiry_reminders_once', ['organization_id', 'credential_kind', 'certificate_number', 'threshold_days'])
    .execute();
  await db.schema.createIndex('expiry_reminders_status_idx').on('expiry_reminders').column('status').execute();

  await db.schema
    .createTable('job_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
}

/** Drops them (tests and manual rollback only). */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('job_leases').execute();
  await db.schema.dropTable('expiry_reminders').execute();
}
