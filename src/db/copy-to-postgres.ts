/**
 * Moves an existing SQLite database into an empty PostgreSQL one (`npm run db:copy-to-postgres`,
 * scripts/db-copy-to-postgres.ts): both are migrated to the same latest schema first, then every
 * table's rows are copied in one PostgreSQL transaction, parents before children (foreign keys),
 * and the counts are compared. A target that already holds rows is refused before anything is
 * written: the copy never merges into, or overwrites, a database in use.
 */
import { sql, type Kysely } from 'kysely';
import { migrateToLatest } from './migrator.js';
import type { Database } from './schema.js';

/** Parents first; tables added later (other migrations) follow in name order. */
const KNOWN_ORDER = ['users', 'memberships', 'sessions', 'invitations', 'audit_events', 'readiness_heartbeat', 'rate_limit_hits', 'cache_generations'];
const BATCH = 500;

export class TargetNotEmptyError extends Error {
  constructor(readonly tables: string[]) {
    super(`The PostgreSQL database is not empty (rows in: ${tables.join(', ')}); copy only into a new, empty database`);
    this.name = 'TargetNotEmptyError';
  }
}

export interface CopyReport {
  /** Rows copied per table, in copy order. */
  copied: Record<string, number>;
}

async function sqliteTables(source: Kysely<any>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'`.execute(source);
  const names = rows.map((r) => r.name);
  const known = KNOWN_ORDER.filter((t) => names.includes(t));
  return [...known, ...names.filter((t) => !KNOWN_ORDER.includes(t)).sort()];
}

async function count(db: Kysely<any>, table: string): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function copySqliteToPostgres(source: Kysely<Database>, target: Kysely<Database>): Promise<CopyReport> {
  await migrateToLatest(source);
  await migrateToLatest(target);
  const tables = await sqliteTables(source);
  const busy: string[] = [];
  for (const table of tables) if ((await count(target, table)) > 0) busy.push(table);
  if (busy.length > 0) throw new TargetNotEmptyError(busy);

  const copied: Record<string, number> = {};
  await target.transaction().execute(async (trx) => {
    for (const table of tables) {
      let done = 0;
      let after = -Infinity;
      // Keyset pages in rowid order (the source's insertion order, kept in PostgreSQL's heap).
      for (;;) {
        const page = await (source as Kysely<any>)
          .selectFrom(table)
          .selectAll()
          .select(sql<number>`rowid`.as('copy_rowid'))
          .where(sql`rowid`, '>', after === -Infinity ? Number.MIN_SAFE_INTEGER : after)
          .orderBy(sql`rowid`)
          .limit(BATCH)
          .execute();
        if (page.length === 0) break;
        after = Number(page[page.length - 1]!.copy_rowid);
        const rows = page.map(({ copy_rowid: _, ...row }) => row);
        await (trx as unknown as Kysely<any>).insertInto(table).values(rows).execute();
        done += rows.length;
      }
      copied[table] = done;
      const there = await count(trx as unknown as Kysely<any>, table);
      if (there !== done) throw new Error(`copied ${done} rows of ${table} but PostgreSQL holds ${there}`);
    }
  });
  return { copied };
}
