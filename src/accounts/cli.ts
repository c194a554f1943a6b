/**
 * Operator CLI: `npm run users -- create|list|disable|enable|invite|reset|remove-demo …`.
 * Opens the same database as the server with the same configuration (DATA_DIR, and demo mode's
 * own database when FACTURAPI_USER_KEY is unset), migrates it, runs one command. Safe while the
 * server runs: SQLite WAL, BEGIN IMMEDIATE and busy_timeout serialise the writes (or DATABASE_URL's
 * PostgreSQL, shared with every instance).
 */
import os from 'node:os';
import path from 'node:path';
import { createAuditTrail } from '../audit/audit.service.js';
import { loadConfig } from '../config.js';
import { systemClock } from '../clock.js';
import { DEMO_DATABASE_FILE, openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrator.js';
import { runUsersCommand } from './cli-commands.js';

async function main(): Promise<number> {
  const config = loadConfig();
  const demo = config.facturapi.mode === 'emulator';
  // Said every time: without the server's key in this shell, the commands act on the demo database.
  const postgres = config.database.kind === 'postgres' ? config.database : null;
  if (demo && !postgres) process.stderr.write(`Demo mode (no FACTURAPI_USER_KEY): using ${path.join(config.dataDir, DEMO_DATABASE_FILE)}\n`);
  const { db, close } = openDatabase(postgres ? { postgres } : { dataDir: config.dataDir, demo });
  try {
    await migrateToLatest(db);
    return await runUsersCommand(process.argv.slice(2), {
      db,
      audit: createAuditTrail(db, { now: systemClock, strict: !config.isProduction }),
      now: systemClock,
      publicUrl: config.publicUrl,
      operator: safeUsername(),
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
    });
  } finally {
    await close();
  }
}

function safeUsername(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Config errors list every problem in their message; nothing here can hold a secret.
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
