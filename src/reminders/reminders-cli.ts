/**
 * `npm run reminders -- [--dry-run] [--now YYYY-MM-DD]`: runs the expiry-reminder job once, with
 * the server's configuration and database (demo mode: its own database and emulator). With
 * --dry-run it claims and sends nothing and prints what would be sent; --now runs it as of that
 * day (noon in Mexico City), e.g. to see what a date brings. Safe next to the running server:
 * claims and the job lease are in the database.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { systemClock } from '../clock.js';
import { createLogger } from '../logger.js';
import { startRuntime } from '../runtime.js';
import { formatRun } from './reminder-report.js';
import { runReminders } from './reminders.service.js';
import { unsubscribeTokens } from './unsubscribe-token.js';

const USAGE = 'usage: npm run reminders -- [--dry-run] [--now YYYY-MM-DD]';

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, options: { 'dry-run': { type: 'boolean' }, now: { type: 'string' }, help: { type: 'boolean' } }, strict: true }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) return void process.stdout.write(`${USAGE}\n`), 0;
  if (args.now !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(args.now)) {
    process.stderr.write(`--now must be a date such as 2026-12-01\n${USAGE}\n`);
    return 2;
  }
  // Noon in Mexico City (UTC-6, no daylight saving since 2022): that calendar day, whatever the hour.
  const now = args.now ? new Date(`${args.now}T12:00:00-06:00`) : systemClock();
  if (Number.isNaN(now.getTime())) {
    process.stderr.write(`--now is not a real date\n${USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  const logger = createLogger({ level: 'warn', destination: process.stderr as never });
  const runtime = await startRuntime(config, logger, systemClock, { inspectionPool: false });
  try {
    const { deps } = runtime;
    const run = await runReminders({
      db: deps.db, facturapi: deps.facturapi, mailer: deps.mailer!, audit: deps.audit, logger, publicUrl: config.publicUrl,
      thresholdDays: config.reminders.thresholdDays, tokens: unsubscribeTokens(deps.sessionSecret),
    }, { now, dryRun: args['dry-run'] ?? false });
    process.stdout.write(formatRun(run, { now, dryRun: args['dry-run'] ?? false, transport: deps.mailer!.transport }));
    return run.ran ? 0 : 1;
  } finally {
    await runtime.close();
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
}, (error: unknown) => {
  process.stderr.write(`reminders failed: ${(error as Error)?.message ?? String(error)}\n`);
  process.exitCode = 1;
});
