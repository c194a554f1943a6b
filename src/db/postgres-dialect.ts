/**
 * Kysely on PostgreSQL through a `pg` Pool: what DATABASE_URL selects (several instances share
 * one server). Each connection gets the app's statement_timeout, so a stuck query fails its
 * request instead of holding a pooled connection forever, and TLS as configured.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export interface PostgresLocation {
  url: string;
  poolMax: number;
  statementTimeoutMs: number;
  ssl: 'disable' | 'require' | 'verify-full';
  sslRootCertPath?: string | undefined;
  /** Tables live in this schema instead of the role's default (tests: one schema per app). */
  schema?: string;
}

function tlsOptions(location: PostgresLocation): false | ConnectionOptions {
  if (location.ssl === 'disable') return false;
  // require: encrypted against eavesdropping, but any certificate is taken (libpq's sslmode=require).
  if (location.ssl === 'require') return { rejectUnauthorized: false };
  return { rejectUnauthorized: true, ...(location.sslRootCertPath ? { ca: readFileSync(location.sslRootCertPath, 'utf8') } : {}) };
}

export function openPostgres(location: PostgresLocation, onPoolError: (error: Error) => void): { db: Kysely<Database>; pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: location.url,
    max: location.poolMax,
    statement_timeout: location.statementTimeoutMs,
    // A connection that cannot be had in time fails the request (503 page) instead of queueing forever.
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    application_name: 'csd-relay',
    ssl: tlsOptions(location),
    // Quoted identifier: the schema name is ours (tests), never user input, but stay safe anyway.
    ...(location.schema ? { options: `-c search_path="${location.schema.replace(/"/g, '')}"` } : {}),
  });
  // An idle connection the server drops (restart, failover) emits 'error' on the pool; unhandled,
  // that would crash the process. The next query simply opens a new connection.
  pool.on('error', onPoolError);
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), pool };
}
