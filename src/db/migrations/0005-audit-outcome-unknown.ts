import { sql, type Kysely, type Transaction } from 'kysely';
import { dialectOf } from '../dialect.js';

/*
 * Allows the audit outcome `unknown`: a change at Facturapi is written as an attempt (outcome
 * `unknown`) before anything is sent, and completed with its outcome afterwards (issue 9, item 5).
 *
 * SQLite cannot alter a CHECK constraint, so the table is rebuilt from its own stored definition
 * with only the outcome list widened: columns or indexes that other migrations added survive,
 * and every existing row is valid under the wider check. It runs in one transaction (SQLite's
 * DDL is transactional even though Kysely's adapter does not say so), so a crash leaves either
 * the old table or the new one, never half of each. PostgreSQL alters the constraint in place
 * (0001 left it its default name, audit_events_outcome_check).
 */

const OLD_CHECK = /outcome in \('success', 'failure', 'denied'\)/i;
const NEW_CHECK = "outcome in ('success', 'failure', 'denied', 'unknown')";

async function inOneTransaction(db: Kysely<any>, work: (trx: Kysely<any>) => Promise<void>): Promise<void> {
  if (db.isTransaction) return work(db as Transaction<any>);
  await db.transaction().execute(work);
}

async function rebuildAuditEvents(db: Kysely<any>, widen: (createSql: string) => string): Promise<void> {
  await inOneTransaction(db, async (trx) => {
    const { rows: tables } = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = 'audit_events'`.execute(trx);
    const { rows: indexes } = await sql<{ sql: string }>`select sql from sqlite_master where type = 'index' and tbl_name = 'audit_events' and sql is not null`.execute(trx);
    const createSql = tables[0]?.sql;
    if (!createSql) throw new Error('audit_events table not found');
    const rebuilt = widen(createSql).replace(/^create table\s+("?)audit_events\1/i, 'create table "audit_events_rebuilt"');
    if (!rebuilt.startsWith('create table "audit_events_rebuilt"')) throw new Error('unexpected audit_events definition');
    await sql`drop table if exists "audit_events_rebuilt"`.execute(trx);
    await sql.raw(rebuilt).execute(trx);
    await sql`insert into "audit_events_rebuilt" select * from "audit_events"`.execute(trx);
    await sql`drop table "audit_events"`.execute(trx);
    await sql`alter table "audit_events_rebuilt" rename to "audit_events"`.execute(trx);
    for (const index of indexes) await sql.raw(index.sql).execute(trx);
  });
}

async function replaceCheckOnPostgres(db: Kysely<any>, check: string): Promise<void> {
  await sql.raw(`alter table "audit_events" drop constraint "audit_events_outcome_check", add constraint "audit_events_outcome_check" check (${check})`).execute(db);
}

/** Widens the outcome check to include `unknown`. */
export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') return replaceCheckOnPostgres(db, NEW_CHECK);
  await rebuildAuditEvents(db, (createSql) => {
    if (!OLD_CHECK.test(createSql)) throw new Error('audit_events outcome check not found');
    return createSql.replace(OLD_CHECK, NEW_CHECK);
  });
}

/** Narrows it back; attempts never completed become failures (tests and manual rollback only). */
export async function down(db: Kysely<any>): Promise<void> {
  await db.updateTable('audit_events').set({ outcome: 'failure' }).where('outcome', '=', 'unknown').execute();
  if (dialectOf(db) === 'postgres') return replaceCheckOnPostgres(db, "outcome in ('success', 'failure', 'denied')");
  await rebuildAuditEvents(db, (createSql) => createSql.replace(/outcome in \('success', 'failure', 'denied', 'unknown'\)/i, "outcome in ('success', 'failure', 'denied')"));
}
