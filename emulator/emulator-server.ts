import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { authorizationSha256, bearerAuth } from './auth-middleware.js';
import { controlRoutes } from './control-routes.js';
import { demoOrganizations } from './demo-data.js';
import { sendError } from './error-catalog.js';
import { faultMiddleware } from './fault-middleware.js';
import { FaultController, type Fault, type FaultOptions } from './faults.js';
import { OrganizationStore } from './organization-store.js';
import type { OrganizationWire } from './organization-wire.js';
import { organizationRoutes } from './organization-routes.js';
import type { ReceivedRequest } from './received-log.js';

/** What the emulator logs through; a pino logger fits. It logs no bodies and no credentials. */
export interface EmulatorLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** Settings of {@link startEmulator}. */
export interface EmulatorOptions {
  /** Accepted `sk_user_…` keys. */
  userKeys: string[];
  /** Emulator clock: certificate validity, `updated_at`, demo data. */
  now?: () => Date;
  /** Initial organizations (copied); defaults to `demoOrganizations(now())`. */
  organizations?: OrganizationWire[];
  /** Must be a loopback address. */
  host?: string;
  port?: number;
  logger?: EmulatorLogger;
}

/** A running emulator. */
export interface RunningEmulator {
  /** Base URL ending in `/v2`, for our client or the SDK's `BASE_URL`. */
  url: string;
  port: number;
  close(): Promise<void>;
  setFault(fault: Fault | null, options?: FaultOptions): void;
  /** Every API request so far, oldest first (live array; control requests excluded). */
  received: ReceivedRequest[];
  /** A copy of an organization's current state. */
  getOrganization(id: string): OrganizationWire | undefined;
}

const LOOPBACK_HOSTS = /^(localhost|127\.\d+\.\d+\.\d+|::1)$/;

/** Starts a Facturapi look-alike on loopback. */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.test(host)) throw new Error(`The Facturapi emulator binds to loopback only, not ${host}`);
  const now = options.now ?? (() => new Date());
  const store = new OrganizationStore(options.organizations ?? demoOrganizations(now()));
  const faults = new FaultController();
  const timers = new Set<NodeJS.Timeout>();
  const received: ReceivedRequest[] = [];
  const entries = new WeakMap<Request, ReceivedRequest>();

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use((req, res, next) => {
    res.set('X-Facturapi-Log-Id', randomBytes(12).toString('hex'));
    res.on('finish', () => options.logger?.debug({ method: req.method, path: req.path, status: res.statusCode }, 'emulator request'));
    next();
  });
  app.use('/_emulator', controlRoutes(faults));
  app.use((req, _res, next) => {
    const length = req.headers['content-length'];
    const entry: ReceivedRequest = {
      method: req.method,
      path: req.path,
      query: Object.fromEntries(Object.entries(req.query).filter((pair): pair is [string, string] => typeof pair[1] === 'string')),
      authorizationSha256: authorizationSha256(req.headers.authorization),
      contentType: req.headers['content-type'] ?? null,
      contentLength: length === undefined ? null : Number(length),
      receivedAt: now(),
    };
    received.push(entry);
    entries.set(req, entry);
    next();
  });
  app.use(faultMiddleware(faults, timers));
  app.use('/v2', bearerAuth(options.userKeys), organizationRoutes({ store, now, entryOf: (req) => entries.get(req) }));
  app.use((_req, res) => sendError(res, 'not_found'));
  // A bug in the emulator answers like Facturapi's own 500, not with Express's HTML page.
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    options.logger?.error({ err: error instanceof Error ? error.message : String(error) }, 'emulator error');
    if (!res.headersSent) sendError(res, 'internal_error');
  });

  const server = app.listen(options.port ?? 0, host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}/v2`,
    port,
    received,
    setFault: (fault, faultOptions) => faults.set(fault, faultOptions),
    getOrganization: (id) => store.get(id),
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Hung and keep-alive connections would otherwise keep close() waiting forever.
      server.closeAllConnections();
      await closed;
    },
  };
}
