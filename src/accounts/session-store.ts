import { createHash } from 'node:crypto';
import session from 'express-session';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { Executor } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { preparedQuery } from '../db/prepared-query.js';

/** Options of the database session store. */
export interface DbSessionStoreOptions {
  db: Kysely<Database>;
  now: Clock;
  /** A session unused this long is gone (config: sessionIdleMinutes). */
  idleMs: number;
  /** A session is gone this long after login whatever the activity (config: sessionAbsoluteHours). */
  absoluteMs: number;
}

type Callback = (err?: unknown) => void;

/** What this process last read or wrote of a session row, for the next `touch`. */
interface SeenSession {
  createdAt: string;
  lastSeenAt: string;
}

/**
 * express-session touches the session at the end of every request. Moving the idle deadline by
 * less than this is not worth a database write (on the upload's hot path it was two statements,
 * a read and an update), so a session's idle timeout may end up to this much early.
 */
export const TOUCH_INTERVAL_MS = 60_000;

// Every request with a session runs these two (hence compiled once: db/prepared-query.ts).
const loadSession = preparedQuery<{ sidHash: string }, { data: string; created_at: string; last_seen_at: string; expires_at: string; user_id: string | null; live_user: string | null; disabled_at: string | null }>((db, param) =>
  db
    .selectFrom('sessions')
    .leftJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.data', 'sessions.created_at', 'sessions.last_seen_at', 'sessions.expires_at', 'sessions.user_id', 'users.id as live_user', 'users.disabled_at'])
    .where('sessions.sid_hash', '=', param('sidHash')),
);

const touchSession = preparedQuery<{ sidHash: string; lastSeenAt: string; expiresAt: string; now: string }, never>((db, param) =>
  db
    .updateTable('sessions')
    .set({ last_seen_at: param('lastSeenAt'), expires_at: param('expiresAt') })
    .where('sid_hash', '=', param('sidHash'))
    // Never revive an expired session by touching it.
    .where('expires_at', '>', param('now')),
);

/** Sessions whose row this process knows, at most (the least recently used are forgotten). */
const MAX_SEEN = 10_000;

/** The cookie value is a bearer credential: store only its hash, like a password reset token. */
function hashSid(sid: string): string {
  return createHash('sha256').update(sid, 'utf8').digest('hex');
}

/**
 * Deletes every session of a user (they are out at their next request); returns how many. Takes
 * the caller's executor so a service can do it inside the transaction of the change that ends
 * them (a disabled account, a new password).
 */
export async function deleteUserSessions(db: Executor, userId: string): Promise<number> {
  const result = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * express-session store on our database (never the in-memory store: it leaks, and is lost
 * on restart). expires_at = min(created_at + absolute, last_seen_at + idle). The user id is
 * kept in a column (from `session.userId`) so disabling a user deletes their sessions, and
 * `get` also refuses a session whose user is disabled or gone.
 */
export class DbSessionStore extends session.Store {
  readonly #options: DbSessionStoreOptions;
  readonly #seen = new Map<string, SeenSession>();
  readonly #touchIntervalMs: number;

  constructor(options: DbSessionStoreOptions) {
    super();
    this.#options = options;
    // Never more than a tenth of the idle timeout, for short timeouts.
    this.#touchIntervalMs = Math.min(TOUCH_INTERVAL_MS, Math.floor(options.idleMs / 10));
  }

  override get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
    this.load$(sid).then((data) => callback(null, data), (err: unknown) => callback(err));
  }

  override set(sid: string, data: session.SessionData, callback?: Callback): void {
    settle(this.save$(sid, data), callback);
  }

  override touch(sid: string, _data: session.SessionData, callback?: () => void): void {
    settle(this.touch$(sid), callback);
  }

  override destroy(sid: string, callback?: Callback): void {
    this.#seen.delete(hashSid(sid));
    settle(this.#options.db.deleteFrom('sessions').where('sid_hash', '=', hashSid(sid)).execute(), callback);
  }

  /** Logs a user out everywhere; returns how many sessions were deleted. */
  destroyAllForUser(userId: string): Promise<number> {
    return deleteUserSessions(this.#options.db, userId);
  }

  /** Deletes expired sessions (run it on a timer); returns how many. */
  async pruneExpired(): Promise<number> {
    const now = this.#options.now().toISOString();
    const result = await this.#options.db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  private async load$(sid: string): Promise<session.SessionData | null> {
    const { db, now } = this.#options;
    const sidHash = hashSid(sid);
    const row = (await loadSession(db, { sidHash })).rows[0];
    if (!row) return null;
    const userGone = row.user_id !== null && (row.live_user === null || row.disabled_at !== null);
    if (row.expires_at <= now().toISOString() || userGone) {
      await db.deleteFrom('sessions').where('sid_hash', '=', sidHash).execute();
      return null;
    }
    this.#remember(sidHash, { createdAt: row.created_at, lastSeenAt: row.last_seen_at });
    return JSON.parse(row.data) as session.SessionData;
  }

  private async save$(sid: string, data: session.SessionData): Promise<void> {
    const { db, now, idleMs, absoluteMs } = this.#options;
    const sidHash = hashSid(sid);
    const at = now();
    const existing = await db.selectFrom('sessions').select('created_at').where('sid_hash', '=', sidHash).executeTakeFirst();
    // The absolute lifetime counts from the first save; login regenerates the sid, so from login.
    const createdAt = existing?.created_at ?? at.toISOString();
    const values = {
      data: JSON.stringify(data),
      user_id: userIdOf(data),
      last_seen_at: at.toISOString(),
      expires_at: expiry(createdAt, at, idleMs, absoluteMs),
    };
    await db
      .insertInto('sessions')
      .values({ sid_hash: sidHash, created_at: createdAt, ...values })
      .onConflict((oc) => oc.column('sid_hash').doUpdateSet(values))
      .execute();
    this.#seen.delete(sidHash);
  }

  /**
   * Moves the idle deadline. After a `get` in the same request this is at most one UPDATE, and
   * none when the session was seen less than the touch interval ago; a touch without a `get`
   * (not express-session's order) reads the row first.
   */
  private async touch$(sid: string): Promise<void> {
    const { db, now, idleMs, absoluteMs } = this.#options;
    const sidHash = hashSid(sid);
    const at = now();
    let seen = this.#seen.get(sidHash);
    if (!seen) {
      const row = await db.selectFrom('sessions').select(['created_at', 'last_seen_at']).where('sid_hash', '=', sidHash).executeTakeFirst();
      if (!row) return;
      seen = { createdAt: row.created_at, lastSeenAt: row.last_seen_at };
    }
    if (at.getTime() - new Date(seen.lastSeenAt).getTime() < this.#touchIntervalMs) return;
    const iso = at.toISOString();
    await touchSession(db, { sidHash, lastSeenAt: iso, expiresAt: expiry(seen.createdAt, at, idleMs, absoluteMs), now: iso });
    // Kept, not dropped: concurrent requests of one session (tabs, a burst) then skip their touch too.
    this.#remember(sidHash, { createdAt: seen.createdAt, lastSeenAt: iso });
  }

  #remember(sidHash: string, seen: SeenSession): void {
    this.#seen.delete(sidHash);
    this.#seen.set(sidHash, seen);
    if (this.#seen.size > MAX_SEEN) this.#seen.delete(this.#seen.keys().next().value!);
  }
}

function expiry(createdAt: string, at: Date, idleMs: number, absoluteMs: number): string {
  const absolute = new Date(createdAt).getTime() + absoluteMs;
  return new Date(Math.min(absolute, at.getTime() + idleMs)).toISOString();
}

// Read without augmenting SessionData here, so the web layer owns that declaration.
function userIdOf(data: session.SessionData): string | null {
  const userId = (data as { userId?: unknown }).userId;
  return typeof userId === 'string' ? userId : null;
}

function settle(work: Promise<unknown>, callback?: Callback): void {
  work.then(() => callback?.(), (err: unknown) => callback?.(err));
}
