/**
 * Operator CLI: `npm run users -- create|list|disable|enable|invite|reset …`.
 * Opens the same database as the server (config DATA_DIR), migrates it, runs one command.
 * Safe while the server runs: SQLite WAL plus busy_timeout serialise the writes.
 */
import os from 'node:os';
import { loadConfig } from '../config.js';
import { systemClock } from '../db/clock.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrator.js';
import { runUsersCommand } from './cli-commands.js';

async function main(): Promise<number> {
  const config = loadConfig();
  const { db, close } = openDatabase({ dataDir: config.dataDir });
  try {
    await migrateToLatest(db);
    return await runUsersCommand(process.argv.slice(2), {
      db,
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
