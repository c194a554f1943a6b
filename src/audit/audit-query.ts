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
  /** 1-based. */
  page: number;
  /** Capped at MAX_AUDIT_PAGE_SIZE. */
  pageSize: number;
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
  total: number;
}

/** Largest page; a CSV export walks the pages. */
export const MAX_AUDIT_PAGE_SIZE = 500;

/** Reads one page of events, newest first. */
export async function queryAuditEvents(db: Executor, filter: AuditQuery): Promise<AuditPage> {
  if (filter.organizationIds && filter.organizationIds.length === 0) return { rows: [], total: 0 };
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

  const [count, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
    base
      .selectAll()
      .orderBy('occurred_at', 'desc')
      .orderBy('id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
  ]);
  return { rows: rows.map(toView), total: Number(count.total) };
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
