import { sql, type Kysely } from 'kysely';

/*
 * Marks the accounts demo mode seeds (their passwords are printed on the console), so that live
 * mode can refuse to start while any exists (see accounts/demo-seed.ts). Versions before this
 * one seeded them, unmarked, into the same database as live data; they are recognised by their
 * two fixed e-mail addresses (`.test` is reserved, so no real person has them).
 * Kysely<any>, and the addresses written out: a migration must not change when the code does.
 */
const DEMO_EMAILS = ['soporte@csd-relay.test', 'admin@csd-relay.test'];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('demo', 'integer', (c) => c.notNull().defaultTo(0).check(sql`demo in (0, 1)`))
    .execute();
  await db.updateTable('users').set({ demo: 1 }).where('email', 'in', DEMO_EMAILS).execute();
}

/** Drops the mark (tests and manual rollback only). */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('demo').execute();
}
