import { promisify } from 'node:util';
import type { SessionData } from 'express-session';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../db/database.js';
import { createTestClock, createTestDatabase, HOUR, MINUTE, type TestClock } from '../../test/support/test-database.js';
import { createAuditTrail } from '../audit/audit.service.js';
import { DbSessionStore, TOUCH_INTERVAL_MS } from './session-store.js';
import { setDisabled } from './user-status.service.js';
import { buildContext, buildUser } from '../../test/support/builders.js';

const IDLE = 30 * MINUTE;
const ABSOLUTE = 8 * HOUR;

let opened: OpenDatabase;
let clock: TestClock;
let store: DbSessionStore;
let get: (sid: string) => Promise<SessionData | null | undefined>;
let set: (sid: string, data: SessionData) => Promise<void>;
let touch: (sid: string, data: SessionData) => Promise<void>;
let destroy: (sid: string) => Promise<void>;

beforeEach(async () => {
  opened = await createTestDatabase();
  clock = createTestClock();
  store = new DbSessionStore({ db: opened.db, now: clock, idleMs: IDLE, absoluteMs: ABSOLUTE });
  get = promisify(store.get.bind(store));
  set = promisify(store.set.bind(store)) as typeof set;
  touch = promisify(store.touch.bind(store)) as typeof touch;
  destroy = promisify(store.destroy.bind(store)) as typeof destroy;
});
afterEach(() => opened.close());

function sessionOf(userId?: string): SessionData {
  return { cookie: { originalMaxAge: null }, ...(userId ? { userId } : {}) } as unknown as SessionData;
}

describe('DbSessionStore', () => {
  it('returns what was saved, and nothing after destroy', async () => {
    const user = await buildUser(opened.db);
    await set('sid-1', sessionOf(user.id));
    expect(await get('sid-1')).toMatchObject({ userId: user.id });
    await destroy('sid-1');
    expect(await get('sid-1')).toBeNull();
  });

  it('stores a hash of the session id, never the id itself', async () => {
    await set('the-raw-session-id', sessionOf());
    const rows = await opened.db.selectFrom('sessions').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain('the-raw-session-id');
    expect(rows[0]?.sid_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps a session used within the idle timeout and drops (deletes) one idle for the timeout', async () => {
    await set('sid-1', sessionOf());
    clock.advance(IDLE - 1);
    expect(await get('sid-1')).not.toBeNull();
    clock.advance(1);
    expect(await get('sid-1')).toBeNull();
    expect(await opened.db.selectFrom('sessions').selectAll().execute()).toEqual([]);
  });

  it('touch restarts the idle timer', async () => {
    await set('sid-1', sessionOf());
    clock.advance(IDLE - MINUTE);
    await touch('sid-1', sessionOf());
    clock.advance(IDLE - MINUTE);
    expect(await get('sid-1')).not.toBeNull();
  });

  it('ends an active session at the absolute lifetime however often it is used', async () => {
    await set('sid-1', sessionOf());
    for (let elapsed = 0; elapsed < ABSOLUTE - 20 * MINUTE; elapsed += 20 * MINUTE) {
      clock.advance(20 * MINUTE);
      await touch('sid-1', sessionOf());
      await set('sid-1', sessionOf());
    }
    expect(await get('sid-1')).not.toBeNull();
    clock.advance(20 * MINUTE);
    expect(await get('sid-1')).toBeNull();
  });

  it('a request within the touch interval of the last write writes nothing; the next one after it moves the deadline', async () => {
    await set('sid-1', sessionOf());
    const lastSeen = async () => (await opened.db.selectFrom('sessions').select(['last_seen_at', 'expires_at']).executeTakeFirstOrThrow());
    const saved = await lastSeen();
    clock.advance(TOUCH_INTERVAL_MS - 1);
    await get('sid-1');
    await touch('sid-1', sessionOf());
    expect(await lastSeen()).toEqual(saved);
    clock.advance(1);
    await get('sid-1');
    await touch('sid-1', sessionOf());
    expect((await lastSeen()).last_seen_at).toBe(clock().toISOString());
    expect((await lastSeen()).expires_at).toBe(new Date(clock().getTime() + IDLE).toISOString());
  });

  it('concurrent requests of one session write once per interval between them, not once each', async () => {
    await set('sid-1', sessionOf());
    clock.advance(TOUCH_INTERVAL_MS);
    // Two requests load the session, then both end: the second finds the first's write.
    await get('sid-1');
    await get('sid-1');
    await touch('sid-1', sessionOf());
    const written = (await opened.db.selectFrom('sessions').select('last_seen_at').executeTakeFirstOrThrow()).last_seen_at;
    expect(written).toBe(clock().toISOString());
    clock.advance(1_000);
    await touch('sid-1', sessionOf());
    expect((await opened.db.selectFrom('sessions').select('last_seen_at').executeTakeFirstOrThrow()).last_seen_at).toBe(written);
    // A touch with nothing known reads the row and still respects the interval.
    const fresh = new DbSessionStore({ db: opened.db, now: clock, idleMs: IDLE, absoluteMs: ABSOLUTE });
    await promisify(fresh.touch.bind(fresh))('sid-1', sessionOf());
    expect((await opened.db.selectFrom('sessions').select('last_seen_at').executeTakeFirstOrThrow()).last_seen_at).toBe(written);
  });

  it('a session in use every few seconds stays alive past the idle timeout (touched once per interval)', async () => {
    await set('sid-1', sessionOf());
    for (let elapsed = 0; elapsed < 2 * IDLE; elapsed += 5_000) {
      clock.advance(5_000);
      expect(await get('sid-1')).not.toBeNull();
      await touch('sid-1', sessionOf());
    }
  });

  it('a touch after get does not revive a session that expired in between', async () => {
    await set('sid-1', sessionOf());
    clock.advance(IDLE - 1);
    expect(await get('sid-1')).not.toBeNull();
    clock.advance(1);
    await touch('sid-1', sessionOf());
    expect(await get('sid-1')).toBeNull();
  });

  it('does not revive an expired session when touched', async () => {
    await set('sid-1', sessionOf());
    clock.advance(IDLE);
    await touch('sid-1', sessionOf());
    expect(await get('sid-1')).toBeNull();
  });

  it('disabling a user ends their sessions at once', async () => {
    const user = await buildUser(opened.db);
    await set('sid-1', sessionOf(user.id));
    await setDisabled(opened.db, createAuditTrail(opened.db, { now: clock }), user.id, true, buildContext(clock, { actor: null }));
    expect(await get('sid-1')).toBeNull();
  });

  it('refuses a session whose user was disabled by any other path', async () => {
    const user = await buildUser(opened.db);
    await set('sid-1', sessionOf(user.id));
    await opened.db.updateTable('users').set({ disabled_at: clock().toISOString() }).execute();
    expect(await get('sid-1')).toBeNull();
  });

  it('destroyAllForUser ends only that user sessions', async () => {
    const ana = await buildUser(opened.db);
    const bea = await buildUser(opened.db);
    await set('a1', sessionOf(ana.id));
    await set('a2', sessionOf(ana.id));
    await set('b1', sessionOf(bea.id));
    expect(await store.destroyAllForUser(ana.id)).toBe(2);
    expect(await get('a1')).toBeNull();
    expect(await get('b1')).not.toBeNull();
  });

  it('pruneExpired deletes expired sessions only', async () => {
    await set('old', sessionOf());
    clock.advance(IDLE - MINUTE);
    await set('new', sessionOf());
    clock.advance(MINUTE);
    expect(await store.pruneExpired()).toBe(1);
    expect(await get('new')).not.toBeNull();
  });
});
