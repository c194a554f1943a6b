/**
 * The audit page's filters, from the query string. Dates are calendar days in the time zone the
 * person sees (the route passes the display time zone, Mexico City), turned into UTC instants for
 * the query: `to` includes the whole day. Paging is
 * by cursor (`before`/`after` = `<occurred_at>_<id>` of an event), never by page number: an offset
 * of 19,000 pages is a scan of the whole trail.
 */
import { z } from 'zod';
import { ORGANIZATION_ID } from '../facturapi/organization-id.js';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES } from './audit-actions.js';
import type { AuditCursor } from './audit-query.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z)_([0-9A-Za-z-]{1,64})$/;
const cursor = z
  .string()
  .regex(CURSOR)
  .transform((value): AuditCursor => {
    const [, occurredAt, id] = CURSOR.exec(value)!;
    return { occurredAt: occurredAt!, id: id! };
  });

/** A cursor as it appears in a link. */
export const formatCursor = (c: AuditCursor): string => `${c.occurredAt}_${c.id}`;

export const auditFiltersSchema = z.object({
  organizationId: z.string().trim().regex(ORGANIZATION_ID).optional().catch(undefined),
  actorEmail: z.string().trim().max(254).optional().catch(undefined),
  action: z.enum(AUDIT_ACTIONS).optional().catch(undefined),
  outcome: z.enum(AUDIT_OUTCOMES).optional().catch(undefined),
  from: day.optional().catch(undefined),
  to: day.optional().catch(undefined),
  before: cursor.optional().catch(undefined),
  after: cursor.optional().catch(undefined),
  /** The organization picker's search text (a search step, not a filter: it only lists organizations to choose). */
  orgq: z.string().trim().max(100).optional().catch(undefined),
});
export type AuditFilters = z.infer<typeof auditFiltersSchema>;

/** Offset (minutes east of UTC) of a time zone at an instant, from Intl. */
function offsetMinutes(at: Date, timeZone: string): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'shortOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{1,2})(?::(\d{2}))?/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return match[1] === '-' ? -minutes : minutes;
}

/** Midnight of a calendar day (YYYY-MM-DD) in `timeZone`, as a UTC instant. */
export function startOfDay(date: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(y, m - 1, d);
  return new Date(utcMidnight - offsetMinutes(new Date(utcMidnight), timeZone) * 60_000);
}

/** The calendar day after YYYY-MM-DD. */
export function nextDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** The filter range as [from, to) instants; the days are calendar days in `timeZone`. */
export function filterRange(filters: AuditFilters, timeZone: string): { from?: Date; to?: Date } {
  const range: { from?: Date; to?: Date } = {};
  if (filters.from) range.from = startOfDay(filters.from, timeZone);
  if (filters.to) range.to = startOfDay(nextDay(filters.to), timeZone);
  return range;
}
