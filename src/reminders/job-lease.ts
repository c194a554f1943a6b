/**
 * A lease on a named job, in the database: a run works only while it holds the lease, so two
 * runs (a second process, a second instance, the CLI next to the server) never work at once.
 * Each step is one statement (an insert that does nothing on conflict, then a conditional update),
 * atomic on SQLite and PostgreSQL alike. A run that crashes holding it frees it when it expires.
 */
import type { Executor } from '../db/database.js';
import { isoPlus } from '../clock.js';

/** Takes the lease for `ttlMs` if free, expired or already ours; true when taken. */
export async function acquireLease(db: Executor, name: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
  const at = now.toISOString();
  await db.insertInto('job_leases').values({ name, holder, expires_at: at }).onConflict((oc) => oc.column('name').doNothing()).execute();
  const taken = await db.updateTable('job_leases').set({ holder, expires_at: isoPlus(now, ttlMs) })
    .where('name', '=', name)
    .where((eb) => eb.or([eb('expires_at', '<=', at), eb('holder', '=', holder)]))
    .executeTakeFirst();
  return Number(taken.numUpdatedRows) === 1;
}

/** Gives the lease back (only if still ours). */
export async function releaseLease(db: Executor, name: string, holder: string, now: Date): Promise<void> {
  await db.updateTable('job_leases').set({ expires_at: now.toISOString() }).where('name', '=', name).where('holder', '=', holder).execute();
}
