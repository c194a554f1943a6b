/**
 * `/readyz` (issue 9, items 7 and 5): it is anonymous, so a crowd of callers must not turn into a
 * crowd of Facturapi calls made with the master key: concurrent checks share the one in flight,
 * and its answer is reused as before. And "ready" must mean the app can record what it does: a
 * database that cannot be written makes it 503 not_ready. Through HTTP against the real app; the
 * Facturapi calls are counted where they arrive, at the emulator.
 */
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app-harness.js';
import { httpRequest } from '../tools/raw-http.js';
import { FIXTURE_REFERENCE_DATE } from '../fixtures/index.js';

const CROWD = 200;

interface Report {
  status: string;
  ready: boolean;
  database: { reachable: boolean; writable?: boolean; pendingMigrations: number };
  facturapi: { mode: string; reachable: boolean };
}

const readyz = async (t: TestApp) => {
  const res = await httpRequest(`${t.url}/readyz`, {});
  return { status: res.status, report: JSON.parse(res.body) as Report };
};

/** The readiness check's call: `GET /v2/organizations` (nothing else in these tests lists them). */
const upstreamCalls = (t: TestApp) => t.emulator.received.filter((r) => r.method === 'GET' && r.path === '/v2/organizations').length;

describe('when 200 anonymous visitors call /readyz at once', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: FIXTURE_REFERENCE_DATE });
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => t.emulator.setFault(null));

  it('then Facturapi is called at most once, and every visitor gets the same answer', async () => {
    // A slow Facturapi keeps the first check in flight while the others arrive.
    t.emulator.setFault({ kind: 'latency', ms: 300 }, { match: { method: 'GET' } });
    const before = upstreamCalls(t);
    const answers = await Promise.all(Array.from({ length: CROWD }, () => readyz(t)));
    expect(upstreamCalls(t) - before).toBeLessThanOrEqual(1);
    expect(new Set(answers.map((a) => `${a.status} ${JSON.stringify(a.report)}`)).size).toBe(1);
    expect(answers[0]).toMatchObject({ status: 200, report: { status: 'ready', facturapi: { reachable: true } } });
  });

  it('then the answer is reused while fresh and checked again, once, when it is not', async () => {
    const before = upstreamCalls(t);
    await Promise.all(Array.from({ length: CROWD }, () => readyz(t)));
    expect(upstreamCalls(t) - before).toBe(0);
    t.clock.advance(31_000);
    await Promise.all(Array.from({ length: CROWD }, () => readyz(t)));
    expect(upstreamCalls(t) - before).toBe(1);
  });

  it('then a Facturapi outage is reported, not fatal, and still checked once for the crowd', async () => {
    t.clock.advance(31_000);
    t.emulator.setFault({ kind: 'status', status: 503, json: true }, { match: { method: 'GET' } });
    const before = upstreamCalls(t);
    const answers = await Promise.all(Array.from({ length: CROWD }, () => readyz(t)));
    // The client retries a 503 a few times: still one check, whatever it costs.
    const calls = upstreamCalls(t) - before;
    expect(calls).toBeGreaterThanOrEqual(1);
    expect(calls).toBeLessThanOrEqual(5);
    expect(answers.every((a) => a.status === 200 && a.report.facturapi.reachable === false)).toBe(true);
  });
});

describe('when the database cannot be written', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: FIXTURE_REFERENCE_DATE });
  });
  // SQLite: the connection refuses writes. PostgreSQL (a pool of connections): a trigger makes
  // every write to the heartbeat table fail, as a read-only or full server would.
  const refuseWrites = async (on: boolean) => {
    if (t.database.dialect !== 'postgres') return void (await sql.raw(`PRAGMA query_only = ${on ? 'ON' : 'OFF'}`).execute(t.database.db));
    if (!on) return void (await sql`drop trigger if exists refuse_writes on readiness_heartbeat`.execute(t.database.db));
    await sql`create or replace function refuse_writes() returns trigger language plpgsql as $$ begin raise exception 'cannot execute INSERT in a read-only transaction'; end $$`.execute(t.database.db);
    await sql`create trigger refuse_writes before insert or update on readiness_heartbeat for each row execute function refuse_writes()`.execute(t.database.db);
  };
  afterAll(async () => {
    await refuseWrites(false).catch(() => undefined);
    await t?.close();
  });

  it('then /readyz says 503 not_ready, and ready again once it can', async () => {
    const healthy = await readyz(t);
    expect(healthy).toMatchObject({ status: 200, report: { ready: true, database: { reachable: true, writable: true } } });

    // The app's own connection refuses every write from now on ("attempt to write a readonly
    // database"), as a read-only file or a full disk would; reads still work.
    await refuseWrites(true);
    t.clock.advance(31_000);
    const broken = await readyz(t);
    expect(broken).toMatchObject({ status: 503, report: { status: 'not_ready', ready: false, database: { reachable: true, writable: false } } });

    await refuseWrites(false);
    t.clock.advance(31_000);
    expect(await readyz(t)).toMatchObject({ status: 200, report: { status: 'ready', database: { writable: true } } });
  });
});
