/**
 * GET /audit: the audit trail, filterable, paged by keyset ("newer"/"older" links carry the
 * (occurred_at, id) of the edge row, so any depth costs one index seek); GET /audit.csv streams
 * every filtered event in batches. Support staff see everything; account admins only the events of
 * their organizations (the scope is applied in the query, whatever the filters say), with support
 * staff shown by name only (audit-visibility.ts). Times are shown in Mexico City. Organizations are
 * shown by name and RFC when Facturapi gives them in time (`organizations`, a short cache), else
 * by id; each event's detail is a sentence (audit-event.view.ts). The organization filter is chosen
 * by searching name or RFC (`orgq`: a search step without JavaScript; public/app.js makes it a combobox).
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Router, type Request } from 'express';
import { streamCsv, type CsvRow } from '../web/csv-response.js';
import { validate } from '../web/validate.js';
import { DISPLAY_TIME_ZONE, type Formatters, type Translate } from '../i18n/index.js';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES } from './audit-actions.js';
import { auditFiltersSchema, filterRange, formatCursor, type AuditFilters } from './audit.schema.js';
import { cursorOf, MAX_COUNTED, type AuditCursor, type AuditEventView, type AuditQuery } from './audit-query.js';
import type { AuditTrail } from './audit.service.js';
import { asSeenBy } from './audit-visibility.js';
import { describeEvent, personIdsOf, type PersonName } from './audit-event.view.js';

const PAGE_SIZE = 50;
/** Events per read of the CSV export (a few milliseconds of work); the event loop is free between reads. */
const CSV_BATCH = 200;
const FILTER_KEYS = ['organizationId', 'actorEmail', 'action', 'outcome', 'from', 'to'] as const;

function memoize(fn: (key: string) => string): (key: string) => string {
  const seen = new Map<string, string>();
  return (key) => seen.get(key) ?? seen.set(key, fn(key)).get(key)!;
}

/** The filters as a query string (no cursor), for the paging and export links. */
function filterQuery(filters: AuditFilters): string {
  return new URLSearchParams(FILTER_KEYS.flatMap((k) => (filters[k] ? [[k, filters[k]] as [string, string]] : []))).toString();
}

/** The signed-in reader (set by accounts' authentication). */
type Reader = NonNullable<Request['user']>;

/** An organization as the audit page names it. */
export interface NamedOrganization {
  id: string;
  name: string;
  legalName: string;
  rfc: string | null;
}

/** Names for ids and search by name or RFC (organizations' directory, passed in by app.ts). */
export interface OrganizationLookup {
  /** Never throws; ids it could not name are absent. */
  namesOf(ids: Iterable<string | null | undefined>): Promise<Map<string, NamedOrganization>>;
  search(q: string, limit?: number): Promise<NamedOrganization[]>;
}

const NO_NAMES: OrganizationLookup = { namesOf: async () => new Map(), search: async () => [] };

export interface AuditRouterDeps {
  audit: AuditTrail;
  /** Organization names; without it the page shows ids. */
  organizations?: OrganizationLookup;
  /** Names of the users events refer to by id (memberships, password sets); accounts' query, passed in by app.ts. */
  peopleNames?: (ids: string[]) => Promise<ReadonlyMap<string, PersonName>>;
  /** Whether the reader sees the whole trail, or only their organizations' events (a policy of accounts). */
  readsWholeTrail: (reader: Reader) => boolean;
}

function toQuery(filters: AuditFilters, wholeTrail: boolean, user: Reader): Omit<AuditQuery, 'page' | 'pageSize'> {
  return {
    ...(wholeTrail ? {} : { organizationIds: user.organizationIds }),
    organizationId: filters.organizationId,
    actorEmail: filters.actorEmail || undefined,
    action: filters.action,
    outcome: filters.outcome,
    ...filterRange(filters, DISPLAY_TIME_ZONE),
  };
}

/** Detail as "key: value" pairs: the CSV's machine-readable column. */
export function describeDetail(detail: AuditEventView['detail']): string {
  return Object.entries(detail)
    .filter(([, v]) => v !== null && v !== '')
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join('; ');
}

export function auditRouter(deps: AuditRouterDeps): Router {
  const router = Router();
  const organizations = deps.organizations ?? NO_NAMES;
  const peopleNames = deps.peopleNames ?? (async () => new Map<string, PersonName>());

  /** The picker's search step: matches for `orgq`, or why there are none to show. */
  async function pickerResults(q: string | undefined): Promise<{ results: NamedOrganization[] | null; unavailable: boolean }> {
    if (!q) return { results: null, unavailable: false };
    try {
      return { results: await organizations.search(q, 10), unavailable: false };
    } catch {
      // The search is a convenience: Facturapi being down must not take the trail with it.
      return { results: null, unavailable: true };
    }
  }

  router.get('/audit', async (req, res) => {
    const filters = validate(auditFiltersSchema, req.query);
    const wholeTrail = deps.readsWholeTrail(req.user!);
    const scope = toQuery(filters, wholeTrail, req.user!);
    let result = await deps.audit.query({ ...scope, page: 1, pageSize: PAGE_SIZE, before: filters.before, after: filters.after });
    // "Newer" near the top can leave less than a page above: show the newest page instead.
    if (filters.after && !result.hasNewer && result.rows.length < PAGE_SIZE) result = await deps.audit.query({ ...scope, page: 1, pageSize: PAGE_SIZE });
    const query = filterQuery(filters);
    const link = (key: 'before' | 'after', row: AuditEventView) => `/audit?${query ? `${query}&` : ''}${key}=${encodeURIComponent(formatCursor(cursorOf(row)))}`;
    const { rows } = result;
    const t = res.locals.t as Translate;
    const fmt = res.locals.fmt as Formatters;
    const own = wholeTrail ? [] : req.user!.organizationIds;
    const seen = rows.map((r) => asSeenBy(req.user, r));
    const [names, picker, people] = await Promise.all([
      organizations.namesOf([...rows.map((r) => r.organizationId), filters.organizationId, ...own]),
      wholeTrail ? pickerResults(filters.orgq) : Promise.resolve({ results: null, unavailable: false }),
      peopleNames(seen.flatMap(personIdsOf)),
    ]);
    res.render('audit', {
      filters,
      rows: seen.map((r) => ({ ...r, org: r.organizationId ? names.get(r.organizationId) ?? null : null, words: describeEvent(r, t, fmt, people) })),
      chosenOrganization: filters.organizationId ? names.get(filters.organizationId) ?? { id: filters.organizationId, name: filters.organizationId, legalName: '', rfc: null } : null,
      ownOrganizations: own.map((id) => names.get(id) ?? { id, name: id, legalName: '', rfc: null }),
      picker,
      total: result.total,
      totalIsLowerBound: result.totalIsLowerBound,
      maxCounted: MAX_COUNTED,
      newerHref: result.hasNewer && rows[0] ? link('after', rows[0]) : null,
      olderHref: result.hasOlder && rows.length > 0 ? link('before', rows[rows.length - 1]!) : null,
      newestHref: filters.before || filters.after ? `/audit${query ? `?${query}` : ''}` : null,
      query,
      actions: AUDIT_ACTIONS,
      outcomes: AUDIT_OUTCOMES,
      scoped: !wholeTrail,
    });
  });

  router.get('/audit.csv', async (req, res) => {
    const filters = validate(auditFiltersSchema, req.query);
    const scope = toQuery(filters, deps.readsWholeTrail(req.user!), req.user!);
    const t = res.locals.t as Translate;
    const fmt = res.locals.fmt as Formatters;
    // Two lookups per row add up over 200,000 rows: translate each action and outcome once.
    const label = memoize((key: string) => t(key as Parameters<Translate>[0]));
    async function* csvBatches(): AsyncGenerator<CsvRow[]> {
      // The machine-readable columns stay where they were (ids, UTC, the detail's key/value pairs), so
      // existing spreadsheets and scripts keep working; the names and the sentence are appended.
      yield [[t('audit.col.when'), 'UTC', t('audit.col.actor'), t('audit.col.role'), t('audit.col.organization'), t('audit.col.action'), t('audit.col.outcome'), 'IP', t('audit.col.requestId'), t('audit.col.detail'), t('audit.col.organizationName'), t('audit.col.rfc'), t('audit.col.description')]];
      let before: AuditCursor | undefined;
      for (;;) {
        const batch = await deps.audit.query({ ...scope, page: 1, pageSize: CSV_BATCH, before, withTotal: false });
        const seen = batch.rows.map((row) => asSeenBy(req.user, row));
        const [names, people] = await Promise.all([organizations.namesOf(batch.rows.map((r) => r.organizationId)), peopleNames(seen.flatMap(personIdsOf))]);
        yield seen.map((r) => {
          const org = r.organizationId ? names.get(r.organizationId) : undefined;
          return [
            fmt.dateTime(new Date(r.occurredAt)),
            r.occurredAt,
            r.actorEmail ?? (r.actorRole === 'support' ? t('audit.supportStaff') : null),
            r.actorRole,
            r.organizationId,
            label(`audit.action.${r.action}`),
            label(`audit.outcome.${r.outcome}`),
            r.ip,
            r.requestId,
            describeDetail(r.detail),
            org ? org.legalName || org.name : null,
            org?.rfc ?? null,
            describeEvent(r, t, fmt, people).text,
          ];
        });
        const last = batch.rows[batch.rows.length - 1];
        if (!batch.hasOlder || !last) return;
        before = cursorOf(last);
        // Each read is synchronous SQLite work: let other requests (health checks) in between.
        await yieldToEventLoop();
      }
    }
    await streamCsv(res, 'audit.csv', csvBatches());
  });

  return router;
}
