import type { Kysely } from 'kysely';

/*
 * Upload requests (issue 12, part 4): support asks a customer to upload their own credential
 * through a one-time link. Only sha256 of the link's token is stored (as for invitations).
 * The credential kind is a column ('csd' | 'fiel') so the e.firma needs no new table.
 * Portable DDL only (see 0001-initial): text ids and ISO-8601 UTC text times.
 */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('upload_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('credential_kind', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'text')
    // An upload through the link is running until then (two at once must not both reach Facturapi).
    .addColumn('busy_until', 'text')
    .addColumn('used_at', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_by', 'text')
    .execute();
  await db.schema.createIndex('upload_requests_org_idx').on('upload_requests').columns(['organization_id', 'created_at']).execute();
}

/** Drops it (tests and manual rollback only). */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('upload_requests').execute();
}
