/**
 * The database-backed Store keeps ClockedMemoryStore's contract (the login throttle relies on it),
 * on the app's real database: SQLite in the app project, PostgreSQL in app-postgres.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../../db/database.js';
import { createTestClock, createTestDatabase, type TestClock } from '../../../test/support/test-database.js';
import { DbRateLimitStore } from './db-rate-limit-store.js';

let opened: OpenDatabase;
let clock: TestClock;
beforeEach(async () => {
  opened = await createTestDatabase();
  clock = createTestClock(new Date('2026-01-15T00:00:00.000Z'));
});
afterEach(async () => opened.close());

const store = (name = 'limiter', windowMs = 60_000) => new DbRateLimitStore({ db: opened.db, store: name, windowMs, now: clock.now });

describe('DbRateLimitStore', () => {
  it('counts in a window fixed at the first hit and starts a new one when the injected clock passes it', async () => {
    const s = store();
    const first = await s.increment('k');
    expect(first).toEqual({ totalHits: 1, resetTime: new Date('2026-01-15T00:01:00.000Z') });
    clock.advance(30_000);
    expect(await s.increment('k')).toEqual({ totalHits: 2, resetTime: first.resetTime });
    clock.advance(30_000);
    expect(await s.get('k')).toBeUndefined();
    expect(await s.increment('k')).toEqual({ totalHits: 1, resetTime: new Date('2026-01-15T00:02:00.000Z') });
  });

  it('never decrements below zero, resets a key on demand, and keeps limiters apart', async () => {
    const a = store('a');
    const b = store('b');
    await a.increment('k');
    await b.increment('k');
    await b.increment('k');
    await a.decrement('k');
    await a.decrement('k');
    expect((await a.get('k'))?.totalHits).toBe(0);
    expect((await b.get('k'))?.totalHits).toBe(2);
    await a.resetKey('k');
    expect(await a.get('k')).toBeUndefined();
    await b.resetAll();
    expect(await b.get('k')).toBeUndefined();
  });

  it('loses no hit when many requests count at once (one atomic statement each)', async () => {
    const s = store();
    const results = await Promise.all(Array.from({ length: 40 }, () => s.increment('k')));
    expect(results.map((r) => r.totalHits).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect((await s.get('k'))?.totalHits).toBe(40);
  });

  it('shares counts between two stores on one database, as two instances do', async () => {
    await store().increment('k');
    expect((await store().increment('k')).totalHits).toBe(2);
  });

  it('drops expired rows while counting, so ever-new keys do not pile up', async () => {
    const s = store();
    for (let i = 0; i < 50; i++) await s.increment(`old-${i}`);
    clock.advance(61_000);
    await s.increment('new');
    const rows = await opened.db.selectFrom('rate_limit_hits').select('key').execute();
    expect(rows.map((r) => r.key)).toEqual(['new']);
  });
});
