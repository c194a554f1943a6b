/**
 * An express-rate-limit `Store` in the app's database, so every instance behind a load balancer
 * counts the same hits (issue 13): the login lockout and the rate limits hold across instances.
 *
 * Same contract as ClockedMemoryStore (fixed window from a key's first hit, `resetTime` its end,
 * the injected clock: tests move windows without sleeping), so the throttle and the limiters
 * cannot tell them apart. Each change is ONE statement (an upsert with RETURNING, or a guarded
 * update), atomic on PostgreSQL and SQLite alike: concurrent requests on any instance never lose
 * a hit, and no transaction is held across awaits.
 *
 * Why not a ready-made PostgreSQL store (@acpr/rate-limit-postgresql): it reads the server's clock
 * (tests could not move windows), has no `get` (the throttle reads counts without counting), pins
 * its own older `pg` and runs its own migration tool beside ours.
 */
import type { ClientRateLimitInfo } from 'express-rate-limit';
import type { Clock } from '../../clock.js';
import type { Executor } from '../../db/database.js';
import type { ReadableStore, StoreFactory } from './clocked-memory-store.js';

/** Stores in `db`, one per limiter name (see StoreFactory). */
export const databaseStores = (db: Executor, now: Clock): StoreFactory => (store, windowMs) => new DbRateLimitStore({ db, store, windowMs, now });

export class DbRateLimitStore implements ReadableStore {
  /** Counts are shared through the database. */
  readonly localKeys = false;
  private nextSweepAt = 0;

  /** `store` names the limiter: keys of different limiters never mix. */
  constructor(private readonly options: { db: Executor; store: string; windowMs: number; now: Clock }) {}

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const at = this.options.now().toISOString();
    const row = await this.options.db
      .selectFrom('rate_limit_hits')
      .select(['hits', 'reset_at'])
      .where('store', '=', this.options.store)
      .where('key', '=', key)
      .where('reset_at', '>', at)
      .executeTakeFirst();
    return row ? { totalHits: Number(row.hits), resetTime: new Date(row.reset_at) } : undefined;
  }

  async increment(key: string): Promise<ClientRateLimitInfo & { resetTime: Date }> {
    const nowMs = this.options.now().getTime();
    await this.sweep(nowMs);
    const at = new Date(nowMs).toISOString();
    const resetAt = new Date(nowMs + this.options.windowMs).toISOString();
    // A key whose window has ended starts a new one at 1, in the same statement that counts.
    const row = await this.options.db
      .insertInto('rate_limit_hits')
      .values({ store: this.options.store, key, hits: 1, reset_at: resetAt })
      .onConflict((oc) =>
        oc.columns(['store', 'key']).doUpdateSet((eb) => ({
          hits: eb.case().when('rate_limit_hits.reset_at', '<=', at).then(eb.lit(1)).else(eb('rate_limit_hits.hits', '+', eb.lit(1))).end(),
          reset_at: eb.case().when('rate_limit_hits.reset_at', '<=', at).then(eb.ref('excluded.reset_at')).else(eb.ref('rate_limit_hits.reset_at')).end(),
        })),
      )
      .returning(['hits', 'reset_at'])
      .executeTakeFirstOrThrow();
    return { totalHits: Number(row.hits), resetTime: new Date(row.reset_at) };
  }

  async decrement(key: string): Promise<void> {
    // The row stays at zero: its window (and so its resetTime) is still the one that started.
    await this.options.db
      .updateTable('rate_limit_hits')
      .set((eb) => ({ hits: eb('hits', '-', eb.lit(1)) }))
      .where('store', '=', this.options.store)
      .where('key', '=', key)
      .where('hits', '>', 0)
      .where('reset_at', '>', this.options.now().toISOString())
      .execute();
  }

  async resetKey(key: string): Promise<void> {
    await this.options.db.deleteFrom('rate_limit_hits').where('store', '=', this.options.store).where('key', '=', key).execute();
  }

  async resetAll(): Promise<void> {
    await this.options.db.deleteFrom('rate_limit_hits').where('store', '=', this.options.store).execute();
  }

  /** Drops this limiter's expired rows at most once per window (per instance), so the table stays about two windows deep. */
  private async sweep(nowMs: number): Promise<void> {
    if (nowMs < this.nextSweepAt) return;
    this.nextSweepAt = nowMs + this.options.windowMs;
    await this.options.db
      .deleteFrom('rate_limit_hits')
      .where('store', '=', this.options.store)
      .where('reset_at', '<=', new Date(nowMs).toISOString())
      .execute();
  }
}
