/**
 * Issue 9, item 9: a process killed in the middle of a migration (after its first CREATE TABLE)
 * must not leave a half-built schema that breaks every later start. Each run of pending
 * migrations is one SQLite transaction, so the kill leaves the database as it was, and the next
 * start (the built server, as its own process) migrates from scratch and runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../src/db/database.js';
import { OFFLINE_LIVE_ENV, runNode, setupLink, stopServer } from './support/processes.js';
import { buildServer, REPO_ROOT, spawnServer, type SpawnedServer } from '../tools/spawned-server.js';

function tablesIn(dataDir: string): string[] {
  const sqlite = new BetterSqlite3(path.join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    return (sqlite.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[]).map((r) => r.name);
  } finally {
    sqlite.close();
  }
}

describe('when a process is killed right after the first CREATE TABLE of a migration', () => {
  let dataDir: string;
  let server: SpawnedServer | undefined;
  beforeAll(() => buildServer(), 60_000);
  afterEach(async () => {
    if (server) await stopServer(server);
    server = undefined;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('then the database holds none of that migration, and the next start migrates and runs', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csd-relay-migration-crash-'));
    const crash = await runNode(path.join(REPO_ROOT, 'test/support/crash-mid-migration.ts'), [dataDir, 'users'], {}, { nodeArgs: ['--import', 'tsx'] });
    expect(crash.stdout).toContain('created users; killing myself');
    expect(crash.signal).toBe('SIGKILL');

    const tables = tablesIn(dataDir);
    console.log(`after the kill, tables: ${tables.join(', ') || '(none)'}`);
    expect(tables).not.toContain('users');

    server = await spawnServer({ DATA_DIR: dataDir, NODE_ENV: 'development', LOG_LEVEL: 'info', ...OFFLINE_LIVE_ENV });
    expect(await setupLink(server)).toMatch(/\/account\/set-password\//);
    expect(tablesIn(dataDir)).toEqual(expect.arrayContaining(['users', 'memberships', 'sessions', 'invitations', 'audit_events']));
  }, 60_000);
});
