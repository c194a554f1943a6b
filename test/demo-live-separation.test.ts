/**
 * Issue 9, item 2: demo data must never be usable against a real Facturapi account, and a demo
 * start must never reach live data. Demo mode (no FACTURAPI_USER_KEY) keeps its own database
 * file in the data folder; live mode refuses to start while its database holds demo-seeded
 * accounts (what versions before this one left there), naming the one command that removes
 * them. Everything runs the built server as its own process; live mode gets a fake user key
 * and a loopback port nothing listens on (starting and signing in never call Facturapi).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Migrator } from 'kysely';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN_EMAIL, DEMO_SUPPORT_EMAIL } from '../src/accounts/demo-seed.js';
import { hashPassword } from '../src/accounts/password.js';
import { DATABASE_FILE, openDatabase } from '../src/db/database.js';
import { migrations } from '../src/db/migrations/index.js';
import { DEMO_ORGANIZATION_IDS } from '../emulator/demo-data.js';
import { demoLogins, OFFLINE_LIVE_ENV, runServerToExit, runUsersCli, setupLink, stopServer } from './support/processes.js';
import { httpRequest } from '../tools/raw-http.js';
import { buildServer, spawnServer, type SpawnedServer } from '../tools/spawned-server.js';

const REAL = { email: 'real.support@example.test', name: 'Real Support', password: 'real-support-pass-phrase-7' };

/** A browser-like client: keeps cookies, reads the form's CSRF token. */
function client(baseUrl: string) {
  const jar = new Map<string, string>();
  const send = async (pathname: string, form?: Record<string, string>) => {
    const body = form ? new URLSearchParams(form).toString() : undefined;
    const headers: Record<string, string | number> = { Cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') };
    if (body !== undefined) Object.assign(headers, { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) });
    const res = await httpRequest(`${baseUrl}${pathname}`, { method: form ? 'POST' : 'GET', headers, body });
    for (const cookie of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) {
      const [pair] = cookie.split(';');
      const at = pair!.indexOf('=');
      jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    return res;
  };
  const csrf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  return {
    send,
    csrf,
    cookies: () => new Map(jar),
    /** Status of the login POST: 303 = signed in. */
    async login(email: string, password: string): Promise<number> {
      const page = await send('/login');
      return (await send('/login', { _csrf: csrf(page.body), email, password })).status;
    },
  };
}

/** Creates the first support account through the printed setup link, as its operator would. */
async function finishSetup(baseUrl: string, link: string): Promise<void> {
  const browser = client(baseUrl);
  expect((await browser.send(new URL(link).pathname)).status).toBe(303);
  const form = await browser.send('/account/set-password');
  expect(form.status).toBe(200);
  const done = await browser.send('/account/set-password', { _csrf: browser.csrf(form.body), name: REAL.name, email: REAL.email, password: REAL.password, confirm: REAL.password });
  expect(done.status).toBe(303);
}

/** sha256 of each database file of live mode (main file, and -wal/-shm if left behind). */
function liveFiles(dataDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dataDir).filter((n) => n.startsWith(DATABASE_FILE))) {
    out[name] = createHash('sha256').update(fs.readFileSync(path.join(dataDir, name))).digest('hex');
  }
  return out;
}

/** What versions before this left in the live database after a demo start: the demo accounts, unmarked. */
async function legacyDemoFolder(dataDir: string, password: string): Promise<void> {
  const database = openDatabase({ dataDir });
  try {
    const result = await new Migrator({ db: database.db, provider: { getMigrations: async () => ({ ...migrations }) } }).migrateTo('0001-initial');
    if (result.error) throw result.error;
    const at = '2026-01-01T00:00:00.000Z';
    const hash = await hashPassword(password);
    const rows = [
      { id: 'legacy-demo-support', email: DEMO_SUPPORT_EMAIL, name: 'Soporte (demo)', role: 'support' as const },
      { id: 'legacy-demo-admin', email: DEMO_ADMIN_EMAIL, name: 'Administradora (demo)', role: 'account_admin' as const },
    ];
    const db = database.db as unknown as import('kysely').Kysely<any>;
    for (const row of rows) {
      await db.insertInto('users').values({ ...row, password_hash: hash, disabled_at: null, created_at: at, updated_at: at, last_login_at: null }).execute();
    }
    await db.insertInto('memberships').values({ user_id: 'legacy-demo-admin', organization_id: DEMO_ORGANIZATION_IDS.expiresSoon, created_at: at, created_by: null }).execute();
  } finally {
    await database.close();
  }
}

describe('demo mode and live mode on the same data folder', () => {
  let dataDir: string;
  let server: SpawnedServer | undefined;
  const demoEnv = () => ({ DATA_DIR: dataDir, NODE_ENV: 'development', LOG_LEVEL: 'info' });
  const liveEnv = () => ({ ...demoEnv(), ...OFFLINE_LIVE_ENV });
  const within = <T>(promise: Promise<T>, what: string) =>
    Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within 10 s`)), 10_000).unref())]);

  beforeAll(() => buildServer(), 60_000);
  afterEach(async () => {
    if (server) await stopServer(server);
    server = undefined;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('when a demo start is followed by a live start, then the live start prints the setup link, and no demo login or demo session works there', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csd-relay-demo-then-live-'));
    server = await spawnServer(demoEnv());
    const demo = await demoLogins(server);
    const demoBrowser = client(server.url);
    expect(await demoBrowser.login(demo.support.email, demo.support.password)).toBe(303);
    expect(await client(server.url).login(demo.admin.email, demo.admin.password)).toBe(303);
    await stopServer(server);

    server = await spawnServer(liveEnv());
    const link = await within(setupLink(server), 'setup link').catch((e: Error) => e.message);
    expect(link).toMatch(/\/account\/set-password\//);
    // Once live has its own first account (so the first-run gate is open), try the demo logins.
    await finishSetup(server.url, link);
    expect(await client(server.url).login(REAL.email, REAL.password)).toBe(303);
    const supportLogin = await client(server.url).login(demo.support.email, demo.support.password);
    const adminLogin = await client(server.url).login(demo.admin.email, demo.admin.password);
    // The demo session's cookie, replayed against the live server.
    const cookie = [...demoBrowser.cookies()].map(([k, v]) => `${k}=${v}`).join('; ');
    const people = await httpRequest(`${server.url}/people`, { headers: { Cookie: cookie } });
    console.log(`demo -> live: setup link ${link.startsWith('http') ? 'printed' : 'missing'}; demo support login ${supportLogin}, demo admin login ${adminLogin}, demo session on /people ${people.status}`);
    expect(supportLogin).toBe(401);
    expect(adminLogin).toBe(401);
    expect(people.status).toBe(303);
    expect(people.headers.location).toMatch(/^\/login/);
  }, 90_000);

  it('when the live database holds demo accounts (left by an older version), then live refuses to start and names the command; after it, live starts with the setup link', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csd-relay-legacy-demo-'));
    const password = 'legacy-demo-pass-phrase-1';
    await legacyDemoFolder(dataDir, password);

    const refused = await runServerToExit(liveEnv());
    console.log(`live start on a folder with demo accounts: exit ${refused.code}; ${refused.stderr.trim()}`);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('npm run users -- remove-demo');

    const removed = await runUsersCli(['remove-demo'], liveEnv());
    expect(removed).toMatchObject({ code: 0 });
    expect(removed.stdout).toContain(`Removed 2 demo accounts`);

    server = await spawnServer(liveEnv());
    expect(await within(setupLink(server), 'setup link')).toMatch(/\/account\/set-password\//);
    expect(await client(server.url).login(DEMO_SUPPORT_EMAIL, password)).not.toBe(303);
    expect(await client(server.url).login(DEMO_ADMIN_EMAIL, password)).not.toBe(303);
  }, 90_000);

  it('when a live folder with real users gets a demo start, then demo mode neither sees nor changes them, and live afterwards has no demo login', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csd-relay-live-then-demo-'));
    server = await spawnServer(liveEnv());
    await finishSetup(server.url, await within(setupLink(server), 'setup link'));
    expect(await client(server.url).login(REAL.email, REAL.password)).toBe(303);
    await stopServer(server);
    const before = liveFiles(dataDir);

    server = await spawnServer(demoEnv());
    const demo = await demoLogins(server);
    const realInDemo = await client(server.url).login(REAL.email, REAL.password);
    const demoSupport = client(server.url);
    expect(await demoSupport.login(demo.support.email, demo.support.password)).toBe(303);
    const people = await demoSupport.send('/people');
    expect(people.status).toBe(200);
    await stopServer(server);
    const after = liveFiles(dataDir);
    console.log(`live -> demo: real login in demo ${realInDemo}; real user on the demo People page: ${people.body.includes(REAL.email)}; live database files unchanged: ${JSON.stringify(before) === JSON.stringify(after)}`);
    expect(realInDemo).not.toBe(303);
    expect(people.body).not.toContain(REAL.email);
    expect(after).toEqual(before);

    server = await spawnServer(liveEnv());
    expect(await client(server.url).login(REAL.email, REAL.password)).toBe(303);
    expect(await client(server.url).login(demo.support.email, demo.support.password)).not.toBe(303);
    expect(await client(server.url).login(demo.admin.email, demo.admin.password)).not.toBe(303);
  }, 90_000);
});
