import { sql, type Kysely } from 'kysely';

/*
 * Portable DDL only (text ids and ISO times, no SQLite-only types) so the same migration can
 * run on PostgreSQL when a multi-instance deployment switches dialect.
 * Kysely<any>: a migration must keep compiling after schema.ts moves on.
 */

/** Creates users, memberships, sessions, invitations and audit_events. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('support', 'account_admin')`))
    .addColumn('password_hash', 'text')
    .addColumn('disabled_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('last_login_at', 'text')
    .execute();

  await db.schema
    .createTable('memberships')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addPrimaryKeyConstraint('memberships_pk', ['user_id', 'organization_id'])
    .execute();
  await db.schema.createIndex('memberships_organization_idx').on('memberships').column('organization_id').execute();

  await db.schema
    .createTable('sessions')
    .addColumn('sid_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_expires_idx').on('sessions').column('expires_at').execute();

  await db.schema
    .createTable('invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('purpose', 'text', (c) =>
      c.notNull().check(sql`purpose in ('setup', 'invitation', 'password_reset')`),
    )
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('email', 'text')
    .addColumn('organization_id', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('invitations_user_idx').on('invitations').column('user_id').execute();

  // No foreign keys here: the trail must outlive the users and organizations it mentions.
  await db.schema
    .createTable('audit_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'text')
    .addColumn('actor_email', 'text')
    .addColumn('actor_role', 'text')
    .addColumn('organization_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('success', 'failure', 'denied')`))
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('request_id', 'text')
    .addColumn('detail', 'text')
    .execute();
  // The audit page filters by one of these, always ordered newest first.
  for (const column of ['organization_id', 'actor_email', 'action', 'outcome']) {
    await db.schema
      .createIndex(`audit_events_${column}_idx`)
      .on('audit_events')
      .columns([column, 'occurred_at'])
      .execute();
  }
  await db.schema.createIndex('audit_events_occurred_idx').on('audit_events').column('occurred_at').execute();
}

/** Drops everything 0001 created (tests and manual rollback only). */
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['audit_events', 'invitations', 'sessions', 'memberships', 'users']) {
    await db.schema.dropTable(table).execute();
  }
}
