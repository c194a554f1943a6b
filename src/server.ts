/**
 * Starts the app: config -> logger -> Facturapi (or the emulator) -> app -> listen, and shuts
 * down gracefully on SIGTERM/SIGINT: stop accepting, let in-flight requests finish (bounded),
 * close what was opened, exit 0.
 */
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type AppConfig } from './config.js';
import { announceFirstRun } from './first-run.js';
import { createHttpServer, trackConnections } from './web/http-server.js';
import { createLogger, wantsPrettyLogs } from './logger.js';
import { startRuntime } from './runtime.js';
import { startReminderJob } from './reminders/reminder-job.js';

const SHUTDOWN_GRACE_MS = 10_000;

function readConfig(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  // A person at a terminal gets readable lines; a pipe, journald or a container runtime gets JSON lines.
  const logger = createLogger({ level: config.logLevel, pretty: wantsPrettyLogs(config.logFormat, process.stdout.isTTY === true) });
  const now = () => new Date();
  const runtime = await startRuntime(config, logger, now);
  await announceFirstRun(config, runtime.deps, now);
  const app = createApp(runtime.deps);
  // Expiry reminders: once now, then daily (REMINDER_CRON, Mexico City time).
  const reminders = startReminderJob(config, { ...runtime.deps, mailer: runtime.deps.mailer! }, logger, now);

  // Node's defaults (5 min per request, checked every 30 s) let slow clients hold sockets for far
  // too long; the server gets the app's body deadlines instead (see http-server.ts).
  const server = createHttpServer(app, config).listen(config.port, config.host);
  const connections = trackConnections(server);
  server.on('listening', () => {
    const { port } = server.address() as AddressInfo;
    const url = config.publicUrl.replace(/:\d+$/, `:${port}`);
    logger.info({ url, mode: config.facturapi.mode, nodeFlags: process.execArgv }, `csd-relay listening on ${url}`);
  });
  server.on('error', (error) => {
    logger.fatal({ err: { message: error.message, code: (error as NodeJS.ErrnoException).code } }, 'could not start the HTTP server');
    process.exit(1);
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => {
      logger.warn('in-flight requests did not finish in time; closing them');
      server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    // A keep-alive connection whose request finishes after close() would otherwise stay open
    // until keepAliveTimeout, and one still sending its headers until the grace period ends (Node
    // stops enforcing headersTimeout at close()): close each as soon as it has no request being
    // answered. Requests whose body is still arriving end at the app's body deadline.
    const reaper = setInterval(() => connections.closeUnanswered(), 50);
    reaper.unref();
    server.close(async () => {
      clearInterval(reaper);
      await reminders.stop();
      await runtime.close();
      logger.info('stopped');
      logger.flush?.();
      process.exit(0);
    });
    connections.closeUnanswered();
    // Logged once the listening socket is closed, so "shutting down" means new connections fail.
    logger.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`csd-relay failed to start: ${(error as Error)?.message ?? String(error)}\n`);
  process.exit(1);
});
