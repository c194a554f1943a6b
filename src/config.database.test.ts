/** DATABASE_* keys (issue 13): SQLite by default; PostgreSQL with its pool, timeout and TLS rules. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { problemsOf } from '../test/support/config-problems.js';

const SECRET = 'x'.repeat(40);

describe('the database keys', () => {
  it('when DATABASE_URL is unset, then the app keeps SQLite in DATA_DIR (npm start needs nothing)', () => {
    expect(loadConfig({}).database).toEqual({ kind: 'sqlite' });
  });

  it('when DATABASE_URL names a server, then it is PostgreSQL with the pool size and statement timeout given', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/csd', SESSION_SECRET: SECRET, DATABASE_POOL_MAX: '4', DATABASE_STATEMENT_TIMEOUT_MS: '2500' });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u:p@127.0.0.1:5432/csd', poolMax: 4, statementTimeoutMs: 2500, ssl: 'disable', sslRootCertPath: undefined });
  });

  it('when the server is not on this machine, then TLS with a checked certificate is the default', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://u:p@db.internal/csd', SESSION_SECRET: SECRET, DATABASE_SSL_ROOT_CERT: 'ca.pem' });
    expect(config.database).toMatchObject({ ssl: 'verify-full', sslRootCertPath: expect.stringMatching(/\/ca\.pem$/) });
  });

  it('when several instances could start with generated secrets, TLS sits in the URL or another database is named, then start-up says how to fix each', () => {
    expect(problemsOf({ DATABASE_URL: 'postgres://u:p@127.0.0.1/csd' })).toEqual([expect.stringMatching(/^SESSION_SECRET: required with DATABASE_URL/)]);
    expect(problemsOf({ DATABASE_URL: 'postgres://u:p@db.internal/csd?sslmode=require', SESSION_SECRET: SECRET })).toEqual([expect.stringMatching(/^DATABASE_URL: leave TLS out of the URL/)]);
    expect(problemsOf({ DATABASE_URL: 'mysql://u:p@db.internal/csd', SESSION_SECRET: SECRET })).toEqual([expect.stringMatching(/^DATABASE_URL: must start with postgres:\/\//)]);
    expect(problemsOf({ DATABASE_URL: 'postgres://u:p@db.internal/csd', SESSION_SECRET: SECRET, DATABASE_SSL: 'require', DATABASE_SSL_ROOT_CERT: 'ca.pem' })).toEqual([expect.stringMatching(/^DATABASE_SSL_ROOT_CERT: only used with DATABASE_SSL=verify-full/)]);
    expect(problemsOf({ DATABASE_URL: 'postgres://u:p@db.internal/csd', SESSION_SECRET: SECRET, DATABASE_SSL: 'maybe', DATABASE_POOL_MAX: '0' }).map((p) => p.split(':')[0])).toEqual(['DATABASE_POOL_MAX', 'DATABASE_SSL']);
  });
});
