/**
 * Starts the real app on port 0 against the real emulator on port 0, through the app's own
 * runtime (src/runtime.ts) with an in-memory database, a controllable clock and captured debug
 * logs: the component-test setup (practice 13 in docs/style.md). `signIn` gives a
 * cookie-carrying agent logged in as a seeded user.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { DbSessionStore } from '../../src/accounts/session-store.js';
import { hasAnyUser } from '../../src/accounts/users.service.js';
import { createApp, type AppDeps } from '../../src/app.js';
import type { AuditTrail } from '../../src/audit/audit.service.js';
import { loadConfig } from '../../src/config.js';
import type { OpenDatabase } from '../../src/db/database.js';
import { createFacturapiClient, type FacturapiClient } from '../../src/facturapi/client.js';
import { createHttpServer } from '../../src/web/http-server.js';
import { DEMO_ORGANIZATION_IDS, startEmulator, type OrganizationWire, type RunningEmulator } from '../../emulator/index.js';
import { createLogger } from '../../src/logger.js';
import { startRuntime } from '../../src/runtime.js';
import { TEST_USER_KEY } from '../../emulator/testing/emulator-fixture.js';
import { LogCapture } from './log-capture.js';
import { FIXTURE_REFERENCE_DATE } from '../../fixtures/index.js';
import { createTestClock, type TestClock } from './test-clock.js';
import { openTestDatabase } from './test-database.js';
import { createTestUser, TEST_USERS, type TestUserName } from './users.js';

export { TEST_USER_KEY };
export const TEST_SESSION_SECRET = 'test-session-secret-0123456789-abcdefghijklmnop';

export const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

export type { TestClock };

export interface SignedIn {
  agent: ReturnType<typeof request.agent>;
  csrf: string;
}

export interface TestApp {
  url: string;
  server: Server;
  emulator: RunningEmulator;
  logs: LogCapture;
  clock: TestClock;
  database: OpenDatabase;
  audit: AuditTrail;
  sessionStore: DbSessionStore;
  /** Logs in as one of the seeded users and returns the agent and its CSRF token. */
  signIn(name: TestUserName): Promise<SignedIn>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  now?: Date;
  organizations?: OrganizationWire[];
  timeoutMs?: number;
  env?: Record<string, string>;
  /** The key the app sends; defaults to the one the emulator accepts. */
  clientUserKey?: string;
  /** Seed the standard users (support, admin of the new demo org, admin of another org). */
  seedUsers?: boolean;
  /** Keep the database in this folder (a file) instead of memory: restart tests. */
  dataDir?: string;
  deps?: Partial<AppDeps>;
  /** Wraps the app's Facturapi client (to make one call fail, say). */
  wrapFacturapi?: (client: FacturapiClient) => FacturapiClient;
  /** Wraps the audit trail the app writes through (to make a write fail, say); `TestApp.audit` stays the real one. */
  wrapAudit?: (trail: AuditTrail) => AuditTrail;
}

/** The CSRF token of the first form on a page. */
export function csrfFrom(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no CSRF token on the page');
  return token;
}

export async function signInAgent(url: string, email: string, password: string): Promise<SignedIn> {
  const agent = request.agent(url);
  const loginPage = await agent.get('/login');
  const res = await agent.post('/login').type('form').send({ _csrf: csrfFrom(loginPage.text), email, password });
  if (res.status !== 303) throw new Error(`login as ${email} failed with ${res.status}`);
  const page = await agent.get('/organizations');
  return { agent, csrf: csrfFrom(page.text) };
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const clock = createTestClock(options.now ?? FIXTURE_REFERENCE_DATE);
  const logs = new LogCapture();
  const logger = createLogger({ level: 'debug', destination: logs.stream });
  const emulator = await startEmulator({ userKeys: [TEST_USER_KEY], now: clock.now, organizations: options.organizations });
  const config = loadConfig({
    NODE_ENV: 'test',
    FACTURAPI_USER_KEY: TEST_USER_KEY,
    FACTURAPI_BASE_URL: emulator.url,
    FACTURAPI_TIMEOUT_MS: String(options.timeoutMs ?? 5000),
    DATA_DIR: '/nonexistent-test-data-dir',
    SESSION_SECRET: TEST_SESSION_SECRET,
    ...options.env,
  });
  const realClient = createFacturapiClient({
    baseUrl: emulator.url,
    userKey: options.clientUserKey ?? TEST_USER_KEY,
    timeoutMs: config.facturapi.timeoutMs,
    logger,
    retry: { baseDelayMs: 1 },
  });
  const facturapi = options.wrapFacturapi ? options.wrapFacturapi(realClient) : realClient;
  // In memory (or options.dataDir's file) on SQLite; a fresh schema in the app-postgres project.
  const database = await openTestDatabase(options.dataDir);
  // The app's own runtime (migrations, audit trail, session store, readiness), with the database,
  // the clock and the Facturapi client replaced; the certificate check runs inline, no worker pool.
  const runtime = await startRuntime(config, logger, clock.now, { database, facturapi, inspectionPool: false });
  const { audit, sessionStore } = runtime.deps;
  if (options.seedUsers !== false && !(await hasAnyUser(database.db))) {
    for (const name of Object.keys(TEST_USERS) as TestUserName[]) await createTestUser(database.db, name, clock.now);
  }
  const app = createApp({
    ...runtime.deps,
    audit: options.wrapAudit ? options.wrapAudit(audit) : audit,
    sessionSecret: TEST_SESSION_SECRET,
    ...options.deps,
  });
  // Built as server.ts builds it: the same request/headers deadlines and client-error handler.
  const server = createHttpServer(app, config).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    server,
    emulator,
    logs,
    clock,
    database,
    audit,
    sessionStore,
    signIn: (name) => signInAgent(url, TEST_USERS[name].email, TEST_USERS[name].password),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await emulator.close();
      await runtime.close();
    },
  };
}

export { DEMO_ORGANIZATION_IDS };
