/**
 * Everything the app needs at run time, opened in order and closed in reverse: the database
 * (migrated), the audit trail (pruned), the session store, and Facturapi or its emulator.
 * server.ts listens. Tests start the same runtime with a few parts replaced (RuntimeOverrides).
 */
import { createAuditTrail } from './audit/audit.service.js';
import { assertNoDemoAccounts } from './accounts/demo-seed.js';
import { createRefusalAudit } from './audit/refusal-audit.js';
import { DbSessionStore } from './accounts/session-store.js';
import { databaseStores } from './accounts/web/db-rate-limit-store.js';
import type { AppDeps } from './app.js';
import type { InspectFn } from './certificates/inspection-pool.js';
import { createInspectionPool } from './certificates/inspection-pool.js';
import type { AppConfig } from './config.js';
import { openDatabase, type OpenDatabase } from './db/database.js';
import type { DataFolderReport } from './db/data-folder.js';
import { migrateToLatest } from './db/migrator.js';
import { resolveSessionSecret } from './db/session-secret.js';
import type { FacturapiClient } from './facturapi/client.js';
import { connectFacturapi, type FacturapiConnection } from './facturapi/connect.js';
import { createEventLoopMonitor } from './ops/metrics.js';
import type { Logger } from './logger.js';
import { createReadiness } from './ops/readiness.js';
import { createMailer } from './mail/mailer.js';
import { pruneMessages } from './mail/outbox.js';
import { createSmtpTransport } from './mail/smtp-transport.js';

const DAY_MS = 24 * 3_600_000;

export interface Runtime {
  deps: AppDeps;
  facturapi: FacturapiConnection;
  close(): Promise<void>;
}

/** The parts a test replaces; production passes none. */
export interface RuntimeOverrides {
  /** An opened database (e.g. in memory) instead of config.dataDir's; migrated and closed like it. */
  database?: OpenDatabase;
  /** A Facturapi client instead of connecting from config; whoever built it closes what it uses. */
  facturapi?: FacturapiClient;
  /** false: run the certificate check on the event loop instead of a worker pool. */
  inspectionPool?: boolean;
}

export async function startRuntime(config: AppConfig, logger: Logger, now: () => Date, overrides: RuntimeOverrides = {}): Promise<Runtime> {
  // Demo mode keeps its own database file, so demo data and live data never mix.
  const demo = config.facturapi.mode === 'emulator';
  const onPoolError = (e: Error) => logger.warn({ err: { message: e.message } }, 'a pooled PostgreSQL connection failed; the next query opens a new one');
  // The server's commits are requests: SQLite's checkpoints run beside them (db/wal-checkpointer.ts).
  const backgroundCheckpoints = { onError: (e: Error) => logger.warn({ err: { message: e.message } }, 'background WAL checkpoint') };
  const database = overrides.database ?? openDatabase(config.database.kind === 'postgres' ? { postgres: config.database } : { dataDir: config.dataDir, demo }, onPoolError, { backgroundCheckpoints });
  reportDataFolder(config.dataDir, database.folder, logger);
  try {
    const applied = await migrateToLatest(database.db);
    if (applied.length > 0) logger.info({ applied }, 'database migrated');
    // Demo accounts have printed passwords: never usable against a real Facturapi account.
    if (!demo) await assertNoDemoAccounts(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }

  const audit = createAuditTrail(database.db, { now, strict: !config.isProduction });
  const prune = async () => {
    const removed = await audit.prune(config.auditRetentionDays);
    if (removed > 0) logger.info({ removed, retentionDays: config.auditRetentionDays }, 'old audit events pruned');
    // The record of e-mails (names, addresses) is kept as long as the trail, no longer.
    const mails = await pruneMessages(database.db, config.auditRetentionDays, now());
    if (mails > 0) logger.info({ removed: mails, retentionDays: config.auditRetentionDays }, 'old e-mail records pruned');
  };
  await prune();
  // Refusals are counted in memory between writes: flushed at shutdown, before the database closes.
  const refusals = createRefusalAudit({
    db: database.db,
    now,
    windowMs: config.limits.loginWindowMinutes * 60_000,
    strict: !config.isProduction,
    onError: (e) => logger.error({ err: { message: (e as Error)?.message } }, 'refusal audit write failed'),
  });
  const sessionStore = new DbSessionStore({
    db: database.db,
    now,
    idleMs: config.session.idleMinutes * 60_000,
    absoluteMs: config.session.absoluteHours * 3_600_000,
  });
  const timers = [
    setInterval(() => void prune().catch((e: Error) => logger.error({ err: { message: e.message } }, 'audit prune failed')), DAY_MS),
    setInterval(() => void sessionStore.pruneExpired().catch(() => undefined), 15 * 60_000),
  ];
  timers.forEach((t) => t.unref());

  const facturapi: FacturapiConnection = overrides.facturapi
    ? { client: overrides.facturapi, emulator: null, close: async () => {} }
    : await connectFacturapi(config, logger, now);
  // The certificate check's CPU work runs off the event loop (see inspection-pool.ts).
  const inspectionPool = overrides.inspectionPool === false ? null : createInspectionPool();
  const metrics = createEventLoopMonitor();

  // Without SMTP_URL e-mail is only stored: the outbox page shows it (demo, development).
  const mailer = createMailer({ db: database.db, transport: config.mail.smtpUrl ? createSmtpTransport(config.mail.smtpUrl) : null, from: config.mail.from, now, logger });
  if (!config.mail.smtpUrl && config.facturapi.mode === 'live') logger.warn('SMTP_URL is not set: e-mail (invitations, resets, expiry reminders) is kept in the outbox and not sent');
  const readiness = createReadiness({ db: database.db, facturapi: facturapi.client, mode: config.facturapi.mode, now });

  return {
    deps: {
      config,
      logger,
      facturapi: facturapi.client,
      db: database.db,
      audit,
      sessionStore,
      sessionSecret: resolveSessionSecret(config.session.secret, config.dataDir),
      now,
      readiness,
      ...(inspectionPool ? { inspect: ((input, task) => inspectionPool.inspect(input, task)) satisfies InspectFn } : {}),
      // Off unless asked for: everything but login, static files and health checks needs a login.
      metrics: config.metricsEndpoint ? metrics : undefined,
      refusals,
      mailer,
      // Instances on one PostgreSQL count rate limits and login failures together; SQLite is one instance.
      ...(database.dialect === 'postgres' ? { limitStores: databaseStores(database.db, now) } : {}),
    },
    facturapi,
    async close() {
      timers.forEach((t) => clearInterval(t));
      metrics.close();
      await inspectionPool?.close();
      await facturapi.close();
      mailer.close();
      await refusals.close();
      await database.close();
    },
  };
}

/** Logs what securing the data folder found: files made private, and what the operator should fix. */
function reportDataFolder(dataDir: string, report: DataFolderReport | undefined, logger: Logger): void {
  if (!report) return;
  for (const { file, mode } of report.tightened) logger.warn({ file, was: mode.toString(8) }, 'data file was readable by other users; now 0600');
  for (const { file, code } of report.failed) logger.warn({ file, code }, 'could not make a data file private (0600); fix its owner or mode');
  if (report.looseFolderMode !== null) {
    logger.warn({ dataDir, mode: report.looseFolderMode.toString(8) }, `data folder is open to other users (its files are 0600); restrict it: chmod 700 ${dataDir}`);
  }
}
