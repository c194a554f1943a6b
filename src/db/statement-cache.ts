/**
 * Kysely's SQLite driver prepares every query afresh; the app runs the same few statements on
 * every request (load and touch the session, load the user, write the audit event), and
 * preparing was a visible share of the upload's CPU profile. This wrapper reuses prepared
 * statements by SQL text, keeping at most `max` (least recently used are dropped), since
 * `IN (?, ?, …)` lists make a few texts vary.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

export function withStatementCache(sqlite: BetterSqlite3.Database, max = 200): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare(sql: string): SqliteStatement {
      const cached = cache.get(sql);
      if (cached) {
        // Re-insert to mark it recently used.
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = sqlite.prepare(sql) as unknown as SqliteStatement;
      cache.set(sql, statement);
      if (cache.size > max) cache.delete(cache.keys().next().value!);
      return statement;
    },
  };
}
