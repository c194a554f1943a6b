/**
 * Everything the app needs at run time, opened in order and closed in reverse: the database
 * (migrated), the audit trail (pruned), the session store, and Facturapi or its emulator.
 * server.ts listens; tests build their own, smaller runtime.
 */
import { createAuditTrail } from './audit/audit.service.js';
import { createRefusalAudit } from './audit/refusal-audit.js';
import { DbSessionStore } from './accounts/session-store.js';
import type { AppDeps } from './app.js';
import { createInspectionPool } from './certificates/inspection-pool.js';
import type { AppConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest, migrationStatus } from './db/migrator.js';
import { connectFacturapi, type FacturapiConnection } from './facturapi/connect.js';
import { createEventLoopMonitor } from './http/metrics.js';
import { resolveSessionSecret } from './http/session.js';
import type { Logger } from './logger.js';

const DAY_MS = 24 * 3_600_000;
const READINESS_CACHE_MS = 30_000;

export interface Runtime {
  deps: AppDeps;
  facturapi: FacturapiConnection;
  close(): Promise<void>;
}

export async function startRuntime(config: AppConfig, logger: Logger, now: () => Date): Promise<Runtime> {
  const database = openDatabase({ dataDir: config.dataDir });
  const applied = await migrateToLatest(database.db);
  if (applied.length > 0) logger.info({ applied }, 'database migrated');

  const audit = createAuditTrail(database.db, { now, strict: !config.isProduction });
  const prune = async () => {
    const removed = await audit.prune(config.auditRetentionDays);
    if (removed > 0) logger.info({ removed, retentionDays: config.auditRetentionDays }, 'old audit events pruned');
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

  const facturapi = await connectFacturapi(config, logger, now);
  // The certificate check's CPU work runs off the event loop (see inspection-pool.ts).
  const inspectionPool = createInspectionPool();
  const metrics = createEventLoopMonitor();

  // Facturapi's reachability is reported, not required, and checked at most every 30 s.
  let facturapiCheck: { at: number; reachable: boolean } | null = null;
  const readiness = async () => {
    const migrations = await migrationStatus(database.db);
    if (!facturapiCheck || Date.now() - facturapiCheck.at > READINESS_CACHE_MS) {
      const reachable = await facturapi.client.listOrganizations({ limit: 1 }).then(() => true, () => false);
      facturapiCheck = { at: Date.now(), reachable };
    }
    return {
      ready: migrations.pending.length === 0,
      database: { reachable: true, pendingMigrations: migrations.pending.length },
      facturapi: { mode: config.facturapi.mode, reachable: facturapiCheck.reachable },
    };
  };

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
      inspect: (input) => inspectionPool.inspect(input),
      // Off unless asked for: everything but login, static files and health checks needs a login.
      metrics: config.metricsEndpoint ? metrics : undefined,
      refusals,
    },
    facturapi,
    async close() {
      timers.forEach((t) => clearInterval(t));
      metrics.close();
      await inspectionPool.close();
      await facturapi.close();
      await refusals.close();
      await database.close();
    },
  };
}
