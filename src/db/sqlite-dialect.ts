/**
 * Kysely's SQLite dialect with two changes, both about a second process (the users CLI while the
 * server runs) and crashes:
 *
 * - Transactions begin IMMEDIATE. Kysely issues a plain (deferred) `begin`, which takes the write
 *   lock only at the first write; a transaction that read first and finds another process writing
 *   then fails at once with SQLITE_BUSY ("database is locked"): SQLite cannot wait there without
 *   risking a deadlock, so busy_timeout never applies. BEGIN IMMEDIATE takes the write lock up
 *   front, where busy_timeout does wait. Within one process nothing changes: Kysely's driver runs
 *   every query on its single connection, one at a time, anyway.
 * - The adapter reports transactional DDL, which SQLite has. Kysely's Migrator then runs all
 *   pending migrations in one transaction (and, with the above, under the write lock, so two
 *   processes starting together cannot both apply one): a crash or an error halfway leaves the
 *   database as it was, instead of a half-created schema that breaks every later start.
 */
import {
  CompiledQuery, SqliteAdapter, SqliteDialect, SqliteDriver,
  type DatabaseConnection, type DialectAdapter, type Driver, type SqliteDialectConfig,
} from 'kysely';

class ImmediateTransactionDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class TransactionalDdlAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

export class AppSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateTransactionDriver(this.#config);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlAdapter();
  }
}
