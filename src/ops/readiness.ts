/**
 * What `/readyz` reports (see health.ts): whether the app can serve — the database answers,
 * takes a write (so what the app does can be audited) and has every migration applied — and,
 * reported but not required, whether Facturapi answers.
 *
 * `/readyz` is anonymous: however many callers arrive, each check runs once at a time (callers
 * that arrive while it runs share its answer) and its answer is reused for a while, so a crowd
 * never becomes a crowd of Facturapi calls made with the master key, nor of database writes.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { migrationStatus } from '../db/migrator.js';
import type { FacturapiClient } from '../facturapi/client.js';

/** Facturapi is asked at most this often. */
const FACTURAPI_CACHE_MS = 30_000;
/** The database write is made at most this often. */
const DATABASE_CACHE_MS = 5_000;

export interface ReadinessDeps {
  db: Kysely<Database>;
  facturapi: Pick<FacturapiClient, 'listOrganizations'>;
  mode: 'live' | 'emulator';
  now: () => Date;
}

export type ReadinessReport = {
  ready: boolean;
  database: { reachable: boolean; writable: boolean; pendingMigrations: number };
  facturapi: { mode: 'live' | 'emulator'; reachable: boolean };
};

/**
 * `check` run at most once at a time and at most once per `maxAgeMs`: a call while it runs gets
 * the same promise, a call within `maxAgeMs` of its end the same answer.
 * A rejection is passed on to the callers that shared it and not kept.
 */
export function sharedCheck<T>(check: () => Promise<T>, maxAgeMs: number, now: () => Date): () => Promise<T> {
  let inFlight: Promise<T> | null = null;
  let last: { at: number; value: T } | null = null;
  return () => {
    if (last && now().getTime() - last.at <= maxAgeMs) return Promise.resolve(last.value);
    inFlight ??= check()
      .then((value) => {
        last = { at: now().getTime(), value };
        return value;
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };
}

async function checkDatabase(db: Kysely<Database>, now: () => Date): Promise<ReadinessReport['database']> {
  let pendingMigrations: number;
  try {
    pendingMigrations = (await migrationStatus(db)).pending.length;
  } catch {
    return { reachable: false, writable: false, pendingMigrations: -1 };
  }
  try {
    // A committed write, not only a lock: a full disk fails when the write reaches the file.
    const checkedAt = now().toISOString();
    await db
      .insertInto('readiness_heartbeat')
      .values({ id: 1, checked_at: checkedAt })
      .onConflict((oc) => oc.column('id').doUpdateSet({ checked_at: checkedAt }))
      .execute();
    return { reachable: true, writable: true, pendingMigrations };
  } catch {
    return { reachable: true, writable: false, pendingMigrations };
  }
}

export function createReadiness(deps: ReadinessDeps): () => Promise<ReadinessReport> {
  const database = sharedCheck(() => checkDatabase(deps.db, deps.now), DATABASE_CACHE_MS, deps.now);
  const facturapi = sharedCheck(() => deps.facturapi.listOrganizations({ limit: 1 }).then(() => true, () => false), FACTURAPI_CACHE_MS, deps.now);
  return async () => {
    const [db, reachable] = await Promise.all([database(), facturapi()]);
    return {
      ready: db.reachable && db.writable && db.pendingMigrations === 0,
      database: db,
      facturapi: { mode: deps.mode, reachable },
    };
  };
}
