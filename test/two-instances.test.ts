/**
 * Issue 13, item 3: two instances of the built server on one PostgreSQL, as behind a load
 * balancer without sticky sessions. Both run live mode against ONE emulator in this process (each
 * demo mode would start its own Facturapi look-alike), on a fresh schema of the test server.
 * Runs in the app-postgres project only (it needs a server; see vitest.config.ts).
 *
 * What must hold across the two: a session from A works on B; the login lockout counts failures
 * on both; an upload through A is in B's audit trail at once; a one-time link used on A is dead
 * on B; and an upload in flight while A shuts down still finishes (and is recorded).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS, startEmulator, type RunningEmulator } from '../emulator/index.js';
import { TEST_USER_KEY } from '../emulator/testing/emulator-fixture.js';
import { generateSatPair } from '../fixtures/index.js';
import { setPassword } from '../src/accounts/set-password.service.js';
import { createUser } from '../src/accounts/users.service.js';
import { createAuditTrail } from '../src/audit/audit.service.js';
import { httpRequest, rawSignIn, uploadBody, type RawSession } from '../tools/raw-http.js';
import { buildServer, spawnServer, type SpawnedServer } from '../tools/spawned-server.js';
import { stopServer } from './support/processes.js';
import { onPostgres, openPostgresTestDatabase, testDatabaseUrl } from './support/postgres-test-database.js';
import type { OpenDatabase } from '../src/db/database.js';

const EMAIL = 'dos-instancias@example.test';
const PASSWORD = 'two-instances-pass-phrase-7';
const MAX_FAILURES = 3;

const form = (session: { cookie: string }, fields: Record<string, string>) => {
  const body = new URLSearchParams(fields).toString();
  return { method: 'POST', headers: { Cookie: session.cookie, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) }, body };
};
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const cookieOf = (headers: { 'set-cookie'?: string[] }) => (headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');

/** One login attempt through the form, the page's anonymous CSRF pair included. */
async function attemptLogin(url: string, email: string, password: string): Promise<number> {
  const page = await httpRequest(`${url}/login`, {});
  const cookie = cookieOf(page.headers);
  return (await httpRequest(`${url}/login`, form({ cookie }, { _csrf: csrfOf(page.body), email, password }))).status;
}

/** Real clock in the spawned servers: a pair valid now. */
const pairValidNow = () => generateSatPair({ validFrom: new Date(Date.now() - 86_400_000), validTo: new Date(Date.now() + 4 * 365 * 86_400_000) });

function upload(url: string, session: RawSession, organizationId: string, pair: ReturnType<typeof generateSatPair>) {
  const { body, contentType } = uploadBody(session, pair);
  return httpRequest(`${url}/organizations/${organizationId}/certificate`, {
    method: 'POST',
    headers: { Cookie: session.cookie, 'Content-Type': contentType, 'Content-Length': body.length },
    body,
  });
}

describe.runIf(onPostgres && testDatabaseUrl)('when two instances share one PostgreSQL database', () => {
  let emulator: RunningEmulator;
  let database: OpenDatabase & { schema: string };
  let a: SpawnedServer;
  let b: SpawnedServer;
  const dataDirs: string[] = [];

  beforeAll(async () => {
    buildServer();
    emulator = await startEmulator({ userKeys: [TEST_USER_KEY] });
    database = await openPostgresTestDatabase();
    // The servers' own pools, on this test's schema: `options` in the URL sets their search_path.
    const url = new URL(testDatabaseUrl!);
    url.searchParams.set('options', `-c search_path=${database.schema}`);
    const env = () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csd-relay-two-'));
      dataDirs.push(dataDir);
      return {
        DATA_DIR: dataDir,
        DATABASE_URL: url.toString(),
        SESSION_SECRET: 'two-instances-session-secret-0123456789abcdef',
        FACTURAPI_USER_KEY: TEST_USER_KEY,
        FACTURAPI_BASE_URL: emulator.url,
        NODE_ENV: 'development',
        LOG_LEVEL: 'info',
        LOGIN_MAX_FAILURES_PER_EMAIL_AND_CLIENT: String(MAX_FAILURES),
      };
    };
    // Started together on an empty schema: both migrate at once (the advisory lock serializes them).
    [a, b] = await Promise.all([spawnServer(env()), spawnServer(env())]);
    const ctx = { now: () => new Date(), actor: null, userAgent: 'test' };
    const audit = createAuditTrail(database.db, { now: ctx.now });
    const user = await createUser(database.db, audit, { email: EMAIL, name: 'Soporte Dos', role: 'support' }, ctx);
    await setPassword(database.db, audit, user.id, PASSWORD, ctx);
  }, 90_000);

  afterAll(async () => {
    for (const server of [a, b]) if (server) await stopServer(server);
    await emulator?.close();
    await database?.close();
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('then starting both at once applied each migration exactly once', async () => {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(database.db);
    const names = rows.map((r) => r.name);
    expect(names.length).toBeGreaterThan(0);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('0008-shared-state');
  });

  it('then a person signed in on A continues on B, forms included', async () => {
    const session = await rawSignIn(a.url, EMAIL, PASSWORD);
    const onB = await httpRequest(`${b.url}/organizations`, { headers: { Cookie: session.cookie } });
    expect(onB.status).toBe(200);
    // A form rendered by A is accepted by B (same secret, session in the shared table).
    const people = await httpRequest(`${b.url}/people/invite`, form(session, { _csrf: session.csrf, email: 'invitada-b@example.test', name: 'Invitada B', organizationId: DEMO_ORGANIZATION_IDS.validForYears }));
    expect(people.status).toBe(200);
    // Signing out on B ends the session on A too.
    expect((await httpRequest(`${b.url}/logout`, form(session, { _csrf: session.csrf }))).status).toBe(303);
    expect((await httpRequest(`${a.url}/organizations`, { headers: { Cookie: session.cookie } })).status).toBe(303);
  });

  it('then the login lockout counts failures on both instances', async () => {
    const statuses: number[] = [];
    // Alternating A, B, A: each instance alone has seen fewer than the limit.
    for (let i = 0; i < MAX_FAILURES; i++) statuses.push(await attemptLogin(i % 2 === 0 ? a.url : b.url, EMAIL, 'wrong-password-123456'));
    statuses.push(await attemptLogin(b.url, EMAIL, PASSWORD));
    statuses.push(await attemptLogin(a.url, EMAIL, PASSWORD));
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it('then an upload through A is in the audit trail B shows at once', async () => {
    const session = await rawSignIn(b.url, 'dos-instancias@example.test', PASSWORD).catch(() => null);
    // The lockout test above locked this client for the e-mail: sign in as a fresh support user.
    const other = session ?? (await freshSupport('audit'));
    const pair = pairValidNow();
    const res = await upload(a.url, other, DEMO_ORGANIZATION_IDS.noCertificate, pair);
    expect(res.status).toBe(303);
    expect(res.headers.location).toContain(`uploaded=${pair.certificateNumber}`);
    const audit = await httpRequest(`${b.url}/audit`, { headers: { Cookie: other.cookie } });
    expect(audit.status).toBe(200);
    expect(audit.body).toContain(pair.certificateNumber);
  });

  it('then a one-time link used on A is dead on B', async () => {
    const support = await freshSupport('link');
    const invited = await httpRequest(`${a.url}/people/invite`, form(support, { _csrf: support.csrf, email: 'enlace@example.test', name: 'Enlace', organizationId: DEMO_ORGANIZATION_IDS.validForYears }));
    const link = /value="(http[^"]+\/account\/set-password\/[^"]+)"/.exec(invited.body)?.[1];
    expect(link).toBeDefined();
    const pathname = new URL(link!).pathname;

    const useOn = async (url: string) => {
      const opened = await httpRequest(`${url}${pathname}`, {});
      const cookie = cookieOf(opened.headers);
      const page = await httpRequest(`${url}/account/set-password`, { headers: { Cookie: cookie } });
      if (page.status !== 200) return page.status;
      // The form's anonymous CSRF pair comes as a cookie of its own.
      const withCsrf = [cookie, cookieOf(page.headers)].filter(Boolean).join('; ');
      return (await httpRequest(`${url}/account/set-password`, form({ cookie: withCsrf }, { _csrf: csrfOf(page.body), password: 'link-pass-phrase-1234', confirm: 'link-pass-phrase-1234' }))).status;
    };
    expect(await useOn(a.url)).toBe(303);
    expect(await useOn(b.url)).toBe(410);
  });

  it('then an upload in flight while A shuts down finishes, and B goes on serving', async () => {
    const support = await freshSupport('shutdown');
    emulator.setFault({ kind: 'latency', ms: 1_500 }, { times: 1, match: { method: 'PUT' } });
    const pair = pairValidNow();
    const inFlight = upload(a.url, support, DEMO_ORGANIZATION_IDS.noCertificateEither, pair);
    // The PUT has reached Facturapi (and is being held) once the one-shot fault is used up.
    await waitFor(() => emulator.received.some((r) => r.method === 'PUT' && r.path.includes(DEMO_ORGANIZATION_IDS.noCertificateEither)));
    a.child.kill('SIGTERM');
    await a.waitForLog(/shutting down/);
    const res = await inFlight;
    expect(res.status).toBe(303);
    expect(res.headers.location).toContain(`uploaded=${pair.certificateNumber}`);
    expect(await a.exited).toEqual({ code: 0, signal: null });

    const audit = await httpRequest(`${b.url}/audit`, { headers: { Cookie: support.cookie } });
    expect(audit.status).toBe(200);
    expect(audit.body).toContain(pair.certificateNumber);
  });

  /** A new support user (the lockout test locks the shared one for this client), signed in on B. */
  async function freshSupport(tag: string): Promise<RawSession> {
    const ctx = { now: () => new Date(), actor: null, userAgent: 'test' };
    const audit = createAuditTrail(database.db, { now: ctx.now });
    const email = `soporte-${tag}@example.test`;
    const user = await createUser(database.db, audit, { email, name: `Soporte ${tag}`, role: 'support' }, ctx);
    await setPassword(database.db, audit, user.id, PASSWORD, ctx);
    return rawSignIn(b.url, email, PASSWORD);
  }
});

/** Polls `condition` until it holds, within a bound (no fixed sleeps). */
async function waitFor(condition: () => boolean, boundMs = 10_000): Promise<void> {
  const until = Date.now() + boundMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
