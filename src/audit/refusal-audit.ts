/**
 * Refusals (CSRF failures, failed logins, lockouts) are audited as one row per (action, reason,
 * client, actor, subject) and window, with a count, instead of one row per request: anonymous
 * traffic could otherwise grow the trail without limit (issue 9, item 4: 1M rows made 0.78 GB).
 *
 * The first refusal of a window inserts its row at once (count 1); the next few update it at once
 * too, so a person checking the trail after a typo sees exact numbers. Beyond that the count is
 * kept in memory and written back at most once per `flushMs`, when the window ends, and on
 * `close()`: a flood costs a handful of small updates, never new rows. Memory is bounded too: past
 * `maxKeys` live keys, refusals from new clients share one overflow row per (action, reason), and
 * one client's subjects (typed e-mails) beyond `maxSubjects` share its catch-all row.
 *
 * These rows are the trail's one deliberate exception to append-only: their count and `lastAt`
 * grow during the window. Writing never throws at the caller: a refusal is answered even when the
 * database is full; the failure goes to `onError`.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Executor } from '../db/database.js';
import { sanitizeDetail, type AuditDetail, type AuditDetailValue } from './audit-detail.js';
import type { AuditEvent } from './audit.service.js';

/** One refused request. `reason` and `subject` are part of the aggregation key. */
export interface Refusal extends AuditEvent {
  action: 'access.denied' | 'login.failure' | 'login.lockout';
  reason: string;
  /** Who the refusal was about (the typed e-mail when it looks like one); omit when nobody. */
  subject?: string;
  /** Detail that names the subject; left out of a row that several subjects share. */
  subjectDetail?: AuditDetail;
}

export interface RefusalAudit {
  record(refusal: Refusal): Promise<void>;
  /** Writes every pending count. */
  flush(): Promise<void>;
  /** Flushes and stops the timer. */
  close(): Promise<void>;
}

export interface RefusalAuditOptions {
  db: Executor;
  now: Clock;
  /** How long one row aggregates a key (the login rate-limit window). */
  windowMs: number;
  /** Counts beyond the first `writeThrough` are written back at most this often. */
  flushMs?: number;
  writeThrough?: number;
  maxKeys?: number;
  maxSubjects?: number;
  /** See AuditTrailOptions.strict. */
  strict?: boolean;
  onError?: (error: unknown) => void;
}

interface Entry {
  id: string;
  group: string;
  windowEndsAt: number;
  count: number;
  written: number;
  lastAt: string;
  detail: Record<string, AuditDetailValue>;
  /** Writes of one row run one after another. */
  chain: Promise<void>;
}

const SHORT_TEXT = 300;
const cut = (value: string | null | undefined) => (value ? value.slice(0, SHORT_TEXT) : null);

export function createRefusalAudit(options: RefusalAuditOptions): RefusalAudit {
  const { db, now, windowMs } = options;
  const flushMs = options.flushMs ?? 1000;
  const writeThrough = options.writeThrough ?? 10;
  const maxKeys = options.maxKeys ?? 5000;
  const maxSubjects = options.maxSubjects ?? 10;
  const strict = options.strict ?? true;
  const onError = options.onError ?? (() => undefined);
  const entries = new Map<string, Entry>();
  const subjectsPerGroup = new Map<string, number>();
  let timer: NodeJS.Timeout | null = null;

  const detailOf = (entry: Entry) => sanitizeDetail({ ...entry.detail, count: entry.count, ...(entry.count > 1 ? { lastAt: entry.lastAt } : {}) }, strict);

  const enqueue = (entry: Entry, work: () => Promise<unknown>) => {
    entry.chain = entry.chain.then(work).then(
      () => undefined,
      (error: unknown) => {
        onError(error);
      },
    );
    return entry.chain;
  };

  const writeCount = (entry: Entry) => {
    if (entry.written >= entry.count) return entry.chain;
    return enqueue(entry, async () => {
      const count = entry.count;
      if (entry.written >= count) return;
      await db.updateTable('audit_events').set({ detail: detailOf(entry) }).where('id', '=', entry.id).execute();
      entry.written = Math.max(entry.written, count);
    });
  };

  const forget = (key: string, entry: Entry) => {
    entries.delete(key);
    if (entry.group !== key) {
      const left = (subjectsPerGroup.get(entry.group) ?? 1) - 1;
      if (left > 0) subjectsPerGroup.set(entry.group, left);
      else subjectsPerGroup.delete(entry.group);
    }
  };

  /** Writes what is pending; drops the keys whose window is over. */
  const sweep = () => {
    const at = now().getTime();
    const writes: Promise<void>[] = [];
    for (const [key, entry] of entries) {
      writes.push(writeCount(entry));
      if (entry.windowEndsAt <= at) forget(key, entry);
    }
    return Promise.all(writes).then(() => undefined);
  };

  const schedule = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      void sweep();
    }, flushMs);
    timer.unref();
  };

  const keyOf = (refusal: Refusal, client: string, scoped: boolean, subject: string) =>
    [refusal.action, refusal.reason, client, scoped ? (refusal.actor?.id ?? '') : '', scoped ? (refusal.organizationId ?? '') : '', subject].join('\u0000');

  /** The live entry under `key`, retiring it (final count written) when its window is over. */
  const live = (key: string, at: number) => {
    const entry = entries.get(key);
    if (entry && entry.windowEndsAt <= at) {
      void writeCount(entry);
      forget(key, entry);
      return undefined;
    }
    return entry;
  };

  /** Where a refusal is counted: its own key, its client's catch-all, or the overflow row. */
  const place = (refusal: Refusal, at: number) => {
    const client = refusal.ip ?? '';
    const subject = refusal.subject ?? '';
    const group = keyOf(refusal, client, true, '');
    const own = keyOf(refusal, client, true, subject);
    if (live(own, at)) return { key: own, group, shared: false, subject };
    if (entries.size >= maxKeys) void sweep();
    const demoted = subject !== '' && (subjectsPerGroup.get(group) ?? 0) >= maxSubjects;
    const key = demoted ? group : own;
    if (entries.size >= maxKeys && !live(key, at)) {
      const overflow = keyOf(refusal, '*', false, '');
      return { key: overflow, group: overflow, shared: true, subject: '' };
    }
    return { key, group: demoted || !subject ? key : group, shared: false, subject: demoted ? '' : subject };
  };

  return {
    record(refusal) {
      const at = now();
      const { key, group, shared, subject } = place(refusal, at.getTime());
      const existing = live(key, at.getTime());
      if (existing) {
        existing.count += 1;
        existing.lastAt = at.toISOString();
        if (existing.count <= writeThrough) return writeCount(existing);
        schedule();
        return Promise.resolve();
      }

      // A shared row does not name the one subject it happened to start with.
      const detail: Record<string, AuditDetailValue> = { ...refusal.detail, ...(subject ? refusal.subjectDetail : {}), reason: refusal.reason };
      if (shared) detail.clients = 'many';
      const created: Entry = { id: randomUUID(), group, windowEndsAt: at.getTime() + windowMs, count: 1, written: 0, lastAt: at.toISOString(), detail, chain: Promise.resolve() };
      entries.set(key, created);
      if (key !== group) subjectsPerGroup.set(group, (subjectsPerGroup.get(group) ?? 0) + 1);
      return enqueue(created, async () => {
        const count = created.count;
        await db
          .insertInto('audit_events')
          .values({
            id: created.id,
            occurred_at: at.toISOString(),
            actor_user_id: shared ? null : (refusal.actor?.id ?? null),
            actor_email: shared ? null : (refusal.actor?.email ?? null),
            actor_role: shared ? null : (refusal.actor?.role ?? null),
            organization_id: shared ? null : (refusal.organizationId ?? null),
            action: refusal.action,
            outcome: refusal.outcome,
            ip: shared ? null : cut(refusal.ip),
            user_agent: cut(refusal.userAgent),
            request_id: cut(refusal.requestId),
            detail: detailOf(created),
          })
          .execute()
          .then(
            () => {
              created.written = Math.max(created.written, count);
            },
            (error: unknown) => {
              // Not stored: let the next refusal try again with a fresh row.
              if (entries.get(key) === created) forget(key, created);
              throw error;
            },
          );
      });
    },
    flush: () => sweep(),
    async close() {
      if (timer) clearTimeout(timer);
      timer = null;
      await sweep();
    },
  };
}
