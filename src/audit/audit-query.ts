import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import type { AuditEventRow } from '../db/schema.js';
import type { AuditAction, AuditOutcome } from './audit-actions.js';
import type { AuditDetailValue } from './audit-detail.js';

/** Filters of the audit page. Every field is optional except paging. */
export interface AuditQuery {
  /** Scope: only events of these organizations (an account admin's). Omit for all (support). */
  organizationIds?: readonly string[];
  organizationId?: string;
  /** Exact match, case-insensitive. */
  actorEmail?: string;
  action?: AuditAction;
  /** Any of these actions (the organization page shows uploads and removals together). */
  actions?: readonly AuditAction[];
  outcome?: AuditOutcome;
  /** Inclusive lower bound. */
  from?: Date;
  /** Exclusive upper bound (pass the next day's midnight for "up to and including"). */
  to?: Date;
  /** 1-based; ignored when a cursor is given. Deep offsets scan: the audit page uses cursors. */
  page: number;
  /** Capped at MAX_AUDIT_PAGE_SIZE. */
  pageSize: number;
  /** Keyset paging: the events just older than this one (the "older" link). */
  before?: AuditCursor;
  /** Keyset paging: the events just newer than this one (the "newer" link). */
  after?: AuditCursor;
  /** Count the matching events (up to MAX_COUNTED); default true. The CSV export skips it. */
  withTotal?: boolean;
}

/** A position in the newest-first order: the (occurred_at, id) of an event. */
export interface AuditCursor {
  occurredAt: string;
  id: string;
}

/** An event as read back, with the detail parsed. */
export interface AuditEventView {
  id: string;
  occurredAt: string;
  actorUserId: string | null;
  actorEmail: string | null;
  actorRole: string | null;
  organizationId: string | null;
  action: string;
  outcome: AuditOutcome;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  detail: Record<string, AuditDetailValue>;
}

/** One page of results and the total matching the filter. */
export interface AuditPage {
  rows: AuditEventView[];
  /** Matching events, counted up to MAX_COUNTED + 1 (0 when `withTotal` is false). */
  total: number;
  /** True when more than MAX_COUNTED match: `total` is then a lower bound. */
  totalIsLowerBound: boolean;
  /** Whether events older than the last row, or newer than the first, match too. */
  hasOlder: boolean;
  hasNewer: boolean;
}

/** Largest page; a CSV export walks the pages. */
export const MAX_AUDIT_PAGE_SIZE = 500;

/** Counting stops here: an exact count of a million rows is a scan, and "more than 10,000" says enough. */
export const MAX_COUNTED = 10_000;

/** The cursor of an event, for links. */
export const cursorOf = (event: Pick<AuditEventView, 'occurredAt' | 'id'>): AuditCursor => ({ occurredAt: event.occurredAt, id: event.id });

/**
 * Reads one page of events, newest first. With a cursor (occurred_at, id) it seeks through the
 * occurred_at index (or a filter's (column, occurred_at) index) and reads one page whatever the
 * depth (keyset paging; ties on occurred_at are ordered by id); without one, `page` is an offset.
 */
export async function queryAuditEvents(db: Executor, filter: AuditQuery): Promise<AuditPage> {
  // No stored value holds a NUL, and PostgreSQL refuses one in a text parameter (an error, so a 500).
  const impossible = [filter.organizationId, filter.actorEmail, filter.action, filter.outcome, ...(filter.organizationIds ?? []), ...(filter.actions ?? [])].some((v) => typeof v === 'string' && v.includes('\u0000'));
  if (impossible || (filter.organizationIds && filter.organizationIds.length === 0)) return { rows: [], total: 0, totalIsLowerBound: false, hasOlder: false, hasNewer: false };
  const pageSize = Math.min(Math.max(1, Math.floor(filter.pageSize)), MAX_AUDIT_PAGE_SIZE);
  const page = Math.max(1, Math.floor(filter.page));

  let base = db.selectFrom('audit_events');
  if (filter.organizationIds) base = base.where('organization_id', 'in', [...filter.organizationIds]);
  if (filter.organizationId) base = base.where('organization_id', '=', filter.organizationId);
  if (filter.actorEmail) base = base.where('actor_email', '=', filter.actorEmail.trim().toLowerCase());
  if (filter.action) base = base.where('action', '=', filter.action);
  if (filter.actions) base = base.where('action', 'in', [...filter.actions]);
  if (filter.outcome) base = base.where('outcome', '=', filter.outcome);
  if (filter.from) base = base.where('occurred_at', '>=', filter.from.toISOString());
  if (filter.to) base = base.where('occurred_at', '<', filter.to.toISOString());

  const { before, after } = filter;
  const newestFirst = !after;
  let select = base.selectAll();
  if (before) select = select.where((eb) => eb(eb.refTuple('occurred_at', 'id'), '<', eb.tuple(before.occurredAt, before.id)));
  if (after) select = select.where((eb) => eb(eb.refTuple('occurred_at', 'id'), '>', eb.tuple(after.occurredAt, after.id)));
  const direction = newestFirst ? 'desc' : 'asc';
  select = select.orderBy('occurred_at', direction).orderBy('id', direction).limit(pageSize + 1);
  const offset = before || after ? 0 : (page - 1) * pageSize;
  if (offset > 0) select = select.offset(offset);
  const found = await select.execute();
  const more = found.length > pageSize;
  const rows = found.slice(0, pageSize);
  if (!newestFirst) rows.reverse();

  let total = 0;
  if (filter.withTotal !== false) {
    const matching = base.select(sql<number>`1`.as('one')).limit(MAX_COUNTED + 1).as('matching');
    const count = await db.selectFrom(matching).select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    total = Number(count.total);
  }
  return {
    rows: rows.map(toView),
    total,
    totalIsLowerBound: total > MAX_COUNTED,
    hasOlder: newestFirst ? more : true,
    hasNewer: newestFirst ? before !== undefined || offset > 0 : more,
  };
}

function toView(row: AuditEventRow): AuditEventView {
  return {
    id: row.id,
    occurredAt: row.occurred_at,
    actorUserId: row.actor_user_id,
    actorEmail: row.actor_email,
    actorRole: row.actor_role,
    organizationId: row.organization_id,
    action: row.action,
    outcome: row.outcome,
    ip: row.ip,
    userAgent: row.user_agent,
    requestId: row.request_id,
    detail: row.detail ? (JSON.parse(row.detail) as Record<string, AuditDetailValue>) : {},
  };
}
