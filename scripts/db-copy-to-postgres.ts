/*
 * `npm run db:copy-to-postgres [-- --demo]`: copies the SQLite database of DATA_DIR (the live
 * csd-relay.sqlite, or with --demo demo mode's csd-relay-demo.sqlite) into the empty PostgreSQL database of DATABASE_URL (same .env as the
 * server; see README, "Moving to PostgreSQL"). Stop the server first: sessions and the audit trail
 * written after the copy started would not be in it. Refuses a target that holds any row.
 * Exit 0 copied, 1 refused or failed, 2 bad usage.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.js';
import { copySqliteToPostgres, TargetNotEmptyError } from '../src/db/copy-to-postgres.js';
import { DATABASE_FILE, DEMO_DATABASE_FILE, openDatabase } from '../src/db/database.js';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { demo: { type: 'boolean', default: false } } });
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message, 2);
    throw error;
  }
  if (config.database.kind !== 'postgres') return fail('DATABASE_URL is not set: name the empty PostgreSQL database to copy into (postgres://…)', 2);
  const file = path.join(config.dataDir, values.demo ? DEMO_DATABASE_FILE : DATABASE_FILE);
  // Checked first: opening would create an empty database there.
  if (!fs.existsSync(file)) return fail(`No SQLite database at ${file} (set DATA_DIR to the server's data folder)`, 2);

  const source = openDatabase({ dataDir: config.dataDir, demo: values.demo });
  const target = openDatabase({ postgres: config.database });
  try {
    const { copied } = await copySqliteToPostgres(source.db, target.db);
    for (const [table, rows] of Object.entries(copied)) process.stdout.write(`${table}: ${rows} rows\n`);
    process.stdout.write(`Copied ${file} into PostgreSQL. Start the server with DATABASE_URL set; keep the SQLite file as a backup.\n`);
    return 0;
  } catch (error) {
    if (error instanceof TargetNotEmptyError) return fail(`${error.message}. Nothing was written.`, 1);
    return fail(`Copy failed, nothing was written to PostgreSQL: ${(error as Error)?.message ?? String(error)}`, 1);
  } finally {
    await source.close();
    await target.close();
  }
}

function fail(message: string, code: number): number {
  process.stderr.write(`${message}\n`);
  return code;
}

main().then((code) => process.exit(code), (error: unknown) => {
  process.stderr.write(`db:copy-to-postgres failed: ${(error as Error)?.message ?? String(error)}\n`);
  process.exit(1);
});
