/**
 * GET /audit: the audit trail, filterable and paginated; GET /audit.csv exports the filtered
 * events. Support staff see everything; account admins only the events of their organizations
 * (the scope is applied in the query, whatever the filters say), with support staff shown by
 * name only (audit-visibility.ts). Times are shown in Mexico City.
 */
import { Router } from 'express';
import type { UserWithMemberships } from '../accounts/users.service.js';
import { sendCsv } from '../http/csv.js';
import type { Formatters, Translate } from '../i18n/index.js';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES } from './audit-actions.js';
import { auditFiltersSchema, filterRange, type AuditFilters } from './audit-filters.js';
import type { AuditEventView, AuditQuery } from './audit-query.js';
import type { AuditTrail } from './audit.service.js';
import { asSeenBy } from './audit-visibility.js';

const PAGE_SIZE = 50;
const CSV_MAX_ROWS = 20_000;

function toQuery(filters: AuditFilters, user: UserWithMemberships): Omit<AuditQuery, 'page' | 'pageSize'> {
  return {
    ...(user.role === 'support' ? {} : { organizationIds: user.organizationIds }),
    organizationId: filters.organizationId,
    actorEmail: filters.actorEmail || undefined,
    action: filters.action,
    outcome: filters.outcome,
    ...filterRange(filters),
  };
}

/** Detail as "key: value" pairs, for the page and the CSV. */
export function describeDetail(detail: AuditEventView['detail']): string {
  return Object.entries(detail)
    .filter(([, v]) => v !== null && v !== '')
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join('; ');
}

export function auditRouter(deps: { audit: AuditTrail }): Router {
  const router = Router();

  router.get('/audit', async (req, res) => {
    const filters = auditFiltersSchema.parse(req.query);
    const page = filters.page ?? 1;
    const result = await deps.audit.query({ ...toQuery(filters, req.user!), page, pageSize: PAGE_SIZE });
    const query = new URLSearchParams(Object.entries(filters).filter(([k, v]) => k !== 'page' && v !== undefined && v !== '') as [string, string][]);
    res.render('audit', {
      filters,
      rows: result.rows.map((r) => asSeenBy(req.user, r)),
      total: result.total,
      page,
      totalPages: Math.max(1, Math.ceil(result.total / PAGE_SIZE)),
      query: query.toString(),
      actions: AUDIT_ACTIONS,
      outcomes: AUDIT_OUTCOMES,
      describeDetail,
      scoped: req.user!.role !== 'support',
    });
  });

  router.get('/audit.csv', async (req, res) => {
    const filters = auditFiltersSchema.parse(req.query);
    const t = res.locals.t as Translate;
    const fmt = res.locals.fmt as Formatters;
    const rows: AuditEventView[] = [];
    for (let page = 1; rows.length < CSV_MAX_ROWS; page++) {
      const batch = await deps.audit.query({ ...toQuery(filters, req.user!), page, pageSize: 500 });
      rows.push(...batch.rows);
      if (batch.rows.length < 500) break;
    }
    sendCsv(res, 'audit.csv', [
      [t('audit.col.when'), 'UTC', t('audit.col.actor'), t('audit.col.role'), t('audit.col.organization'), t('audit.col.action'), t('audit.col.outcome'), 'IP', t('audit.col.requestId'), t('audit.col.detail')],
      ...rows.map((row) => asSeenBy(req.user, row)).map((r) => [
        fmt.dateTime(new Date(r.occurredAt)),
        r.occurredAt,
        r.actorEmail ?? (r.actorRole === 'support' ? t('audit.supportStaff') : null),
        r.actorRole,
        r.organizationId,
        t(`audit.action.${r.action}` as Parameters<Translate>[0]),
        t(`audit.outcome.${r.outcome}`),
        r.ip,
        r.requestId,
        describeDetail(r.detail),
      ]),
    ]);
  });

  return router;
}
