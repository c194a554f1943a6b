import { randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { Executor } from '../db/database.js';
import { preparedQuery } from '../db/prepared-query.js';
import type { AuditEventsTable } from '../db/schema.js';
import type { Clock } from '../clock.js';
import type { AuditAction, AuditOutcome } from './audit-actions.js';
import { sanitizeDetail, type AuditDetail } from './audit-detail.js';
import { queryAuditEvents, type AuditPage, type AuditQuery } from './audit-query.js';

/** Who did it. Null for the operator CLI, start-up, or an anonymous visitor. */
export interface AuditActor {
  id: string;
  email: string;
  role: string;
}

/** One event to record. Never put passwords, keys, file contents, tokens or cookies in it. */
export interface AuditEvent {
  actor: AuditActor | null;
  organizationId?: string | null;
  action: AuditAction;
  outcome: AuditOutcome;
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
  detail?: AuditDetail;
}

/** Options of the trail. */
export interface AuditTrailOptions {
  now: Clock;
  /**
   * true (development, tests): a secret-looking detail key throws.
   * false (production): the key is dropped and the event still written.
   * Defaults to true.
   */
  strict?: boolean;
}

/**
 * The audit trail bound to a database: the one way events are written and read. Routes and
 * services alike write through `record` (services are passed the trail), so what a secret-looking
 * detail key does (throw, or be dropped) is always the trail's `strict` option.
 */
export interface AuditTrail {
  /** Writes one event; pass `trx` to write it inside the caller's transaction (it commits or rolls back with the change). */
  record(event: AuditEvent, trx?: Executor): Promise<void>;
  /** One page of events, newest first, with the total for the filter. */
  query(filter: AuditQuery): Promise<AuditPage>;
  /** Deletes events older than `olderThanDays` days; returns how many. */
  prune(olderThanDays: number): Promise<number>;
  /**
   * Writes the attempt of a change made elsewhere (Facturapi), before it is made: outcome
   * `unknown` until `complete`. Returns the event's id. If this throws, make no change.
   */
  begin(event: Omit<AuditEvent, 'outcome'>): Promise<string>;
  /**
   * Sets an attempt's outcome and detail, once (throws if `id` is not an open attempt). With
   * `unknown` it only rewrites the detail (what is known so far) and the attempt stays open, to be
   * completed when someone finds out (an unanswered upload's read-back, then its re-check).
   */
  complete(id: string, outcome: CompletedOutcome | 'unknown', detail?: AuditDetail): Promise<void>;
}

/** What an attempt can end as. */
export type CompletedOutcome = Exclude<AuditOutcome, 'unknown' | 'denied'>;

const SHORT_TEXT = 300;

type NewAuditRow = Insertable<AuditEventsTable>;

// Every upload and removal writes an attempt and completes it: compiled once (db/prepared-query.ts).
const insertAuditRow = preparedQuery<Required<{ [K in keyof NewAuditRow]: NewAuditRow[K] }>, never>((db, param) =>
  db.insertInto('audit_events').values({
    id: param('id'), occurred_at: param('occurred_at'), actor_user_id: param('actor_user_id'), actor_email: param('actor_email'), actor_role: param('actor_role'),
    organization_id: param('organization_id'), action: param('action'), outcome: param('outcome'), ip: param('ip'), user_agent: param('user_agent'),
    request_id: param('request_id'), detail: param('detail'),
  }),
);

const completeAttemptRow = preparedQuery<{ id: string; outcome: CompletedOutcome | 'unknown'; detail: string | null }, never>((db, param) =>
  db.updateTable('audit_events').set({ outcome: param('outcome'), detail: param('detail') }).where('id', '=', param('id')).where('outcome', '=', 'unknown'),
);

/** Inserts one event; returns its id. */
async function insertAuditEvent(executor: Executor, event: AuditEvent, options: AuditTrailOptions): Promise<string> {
  const id = randomUUID();
  await insertAuditRow(executor, {
    id,
    occurred_at: options.now().toISOString(),
    actor_user_id: event.actor?.id ?? null,
    actor_email: event.actor?.email ?? null,
    actor_role: event.actor?.role ?? null,
    organization_id: event.organizationId ?? null,
    action: event.action,
    outcome: event.outcome,
    ip: cut(event.ip),
    // The user agent is attacker-controlled text: keep it, but short.
    user_agent: cut(event.userAgent),
    request_id: cut(event.requestId),
    detail: sanitizeDetail(event.detail, options.strict ?? true),
  });
  return id;
}

/** Completes an attempt. The time stays the attempt's: the moment the change was sent. */
async function completeAttempt(db: Executor, id: string, outcome: CompletedOutcome | 'unknown', detail: AuditDetail | undefined, options: AuditTrailOptions): Promise<void> {
  const result = await completeAttemptRow(db, { id, outcome, detail: sanitizeDetail(detail, options.strict ?? true) });
  if (Number(result.numAffectedRows) !== 1) throw new Error(`Audit event ${id} is not an open attempt`);
}

/** Creates the audit trail on `db`. */
export function createAuditTrail(db: Executor, options: AuditTrailOptions): AuditTrail {
  return {
    record: async (event, trx) => {
      await insertAuditEvent(trx ?? db, event, options);
    },
    query: (filter) => queryAuditEvents(db, filter),
    async prune(olderThanDays) {
      if (!Number.isFinite(olderThanDays) || olderThanDays < 1) {
        throw new RangeError('Audit retention must be at least 1 day');
      }
      const cutoff = new Date(options.now().getTime() - olderThanDays * 86_400_000).toISOString();
      const result = await db.deleteFrom('audit_events').where('occurred_at', '<', cutoff).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    begin: (event) => insertAuditEvent(db, { ...event, outcome: 'unknown' }, options),
    complete: (id, outcome, detail) => completeAttempt(db, id, outcome, detail, options),
  };
}

function cut(value: string | null | undefined): string | null {
  return value ? value.slice(0, SHORT_TEXT) : null;
}
