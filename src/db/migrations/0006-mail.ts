import type { Kysely } from 'kysely';

/*
 * E-mail (issue 12, part 2): each person's language for e-mails and their reminder opt-out, and
 * the record of every message the app sends (the outbox when no SMTP server is configured).
 * Portable DDL only (see 0001-initial): text ids and ISO-8601 UTC text times.
 */

/** Adds users.language and users.reminders_opted_out_at; creates mail_messages. */
export async function up(db: Kysely<any>): Promise<void> {
  // Spanish by default: the customers are Mexican businesses (as the app's own default language).
  await db.schema.alterTable('users').addColumn('language', 'text', (c) => c.notNull().defaultTo('es')).execute();
  await db.schema.alterTable('users').addColumn('reminders_opted_out_at', 'text').execute();

  // No foreign keys: the record of what was sent outlives the people and organizations it names.
  await db.schema
    .createTable('mail_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    // The bodies as stored: every one-time or signed link replaced by a marker (mail-templates.ts).
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text', (c) => c.notNull())
    .addColumn('transport', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('error_code', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('user_id', 'text')
    .addColumn('organization_id', 'text')
    .addColumn('reminder_id', 'text')
    .execute();
  await db.schema.createIndex('mail_messages_created_idx').on('mail_messages').column('created_at').execute();
  await db.schema.createIndex('mail_messages_reminder_idx').on('mail_messages').columns(['reminder_id', 'recipient']).execute();
}

/** Drops what 0006 added (tests and manual rollback only). */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mail_messages').execute();
  await db.schema.alterTable('users').dropColumn('reminders_opted_out_at').execute();
  await db.schema.alterTable('users').dropColumn('language').execute();
}
