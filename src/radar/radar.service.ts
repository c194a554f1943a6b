/**
 * The expiry radar: every organization of the account, grouped and ordered by certificate
 * expiry (expired and missing first, then within 30/60/90 days, then later). Pages are read from
 * Facturapi within its bounds (MAX_LIST_PAGE, MAX_LIST_LIMIT) with bounded parallelism; a failing page
 * makes the result partial rather than failing it. The snapshot is cached for a short time.
 *
 * Several instances each cache their own snapshot; a change on one (upload, removal, refresh)
 * bumps the radar's generation in the database (cache_generations), and every instance checks
 * the generation before reusing its snapshot, so none shows a certificate as it was before.
 */
import type { Executor } from '../db/database.js';
import { preparedQuery } from '../db/prepared-query.js';
import { MAX_LIST_LIMIT, MAX_LIST_PAGE, type FacturapiClient } from '../facturapi/client.js';
import type { Organization } from '../facturapi/organization.js';
import { certificateBadge, COUNTDOWN_DAYS, type Badge } from '../organizations/certificate-status.js';

export const RADAR_GROUPS = ['expired', 'missing', 'within30', 'within60', 'within90', 'later'] as const;
export type RadarGroup = (typeof RADAR_GROUPS)[number];

/** Pages fetched at once: fast enough for 3,000 organizations, gentle on Facturapi's rate limits. */
export const PAGE_CONCURRENCY = 6;

export interface RadarRow {
  organization: Organization;
  badge: Badge;
  group: RadarGroup;
  /** The e.firma's badge (same rules); the group stays the CSD's, the credential that stamps invoices. */
  fielBadge: Badge;
}

export interface RadarSnapshot {
  fetchedAt: Date;
  rows: RadarRow[];
  counts: Record<RadarGroup, number>;
  /** Set when not every organization could be read. */
  partial: null | { pagesRead: number; totalPages: number; reason: 'upstream_failed' | 'page_limit' };
}

export function radarGroup(badge: Badge): RadarGroup {
  if (badge.state === 'missing') return 'missing';
  if (badge.state === 'expired') return 'expired';
  const days = badge.daysLeft ?? Infinity;
  return days < 30 ? 'within30' : days < 60 ? 'within60' : days < COUNTDOWN_DAYS ? 'within90' : 'later';
}

/** Groups and orders organizations; pure. */
export function buildRadar(organizations: readonly Organization[], now: Date): Pick<RadarSnapshot, 'rows' | 'counts'> {
  const rank = (group: RadarGroup) => RADAR_GROUPS.indexOf(group);
  const rows = organizations.map((organization) => {
    const badge = certificateBadge(organization.certificate, now);
    return { organization, badge, group: radarGroup(badge), fielBadge: certificateBadge(organization.fiel, now) };
  });
  rows.sort(
    (a, b) =>
      rank(a.group) - rank(b.group) ||
      (a.organization.certificate.expiresAt?.getTime() ?? 0) - (b.organization.certificate.expiresAt?.getTime() ?? 0) ||
      a.organization.legalName.localeCompare(b.organization.legalName, 'es'),
  );
  const counts = Object.fromEntries(RADAR_GROUPS.map((g) => [g, 0])) as Record<RadarGroup, number>;
  for (const row of rows) counts[row.group] += 1;
  return { rows, counts };
}

/** Reads every page (first page, then the rest with bounded parallelism). */
export async function fetchAllOrganizations(facturapi: FacturapiClient): Promise<{ organizations: Organization[]; partial: RadarSnapshot['partial'] }> {
  const first = await facturapi.listOrganizations({ page: 1, limit: MAX_LIST_LIMIT });
  const totalPages = first.totalPages;
  const lastPage = Math.min(totalPages, MAX_LIST_PAGE);
  const pages: Organization[][] = [first.data];
  let failed = 0;
  let next = 2;
  const worker = async () => {
    while (next <= lastPage) {
      const page = next++;
      try {
        pages[page - 1] = (await facturapi.listOrganizations({ page, limit: MAX_LIST_LIMIT })).data;
      } catch {
        failed += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PAGE_CONCURRENCY, Math.max(0, lastPage - 1)) }, worker));
  const organizations = pages.flatMap((p) => p ?? []);
  const pagesRead = lastPage - failed;
  const partial = failed > 0 ? { pagesRead, totalPages, reason: 'upstream_failed' as const } : totalPages > MAX_LIST_PAGE ? { pagesRead, totalPages, reason: 'page_limit' as const } : null;
  return { organizations, partial };
}

export interface Radar {
  /** The cached snapshot, or a fresh one when stale or `refresh` is set. */
  get(options?: { refresh?: boolean }): Promise<RadarSnapshot>;
  /** Drops the cache here and on every instance (after an upload or removal changes a certificate). Never rejects. */
  forget(): Promise<void>;
}

const GENERATION = 'radar';

export interface RadarDeps {
  facturapi: FacturapiClient;
  now: () => Date;
  cacheSeconds: number;
  /** Shares invalidation with other instances; without it the cache is this process's alone. */
  db?: Executor;
  /** A generation that could not be read or bumped (the cache then acts as if dropped). */
  onError?: (error: unknown) => void;
}

// Every upload runs it (the radar forgets its snapshot): compiled once (db/prepared-query.ts).
const bumpGeneration = preparedQuery<Record<string, never>, never>((db) =>
  db
    .insertInto('cache_generations')
    .values({ name: GENERATION, generation: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ generation: eb('cache_generations.generation', '+', eb.lit(1)) }))),
);

export function createRadar(deps: RadarDeps): Radar {
  let cached: { snapshot: RadarSnapshot; generation: number } | null = null;
  let inFlight: Promise<{ snapshot: RadarSnapshot; generation: number }> | null = null;
  const fresh = (s: RadarSnapshot) => deps.now().getTime() - s.fetchedAt.getTime() < deps.cacheSeconds * 1000 && !s.partial;
  const onError = deps.onError ?? (() => undefined);

  // -1 when unreadable: matches no snapshot, so the radar refetches rather than risk a stale one.
  const currentGeneration = async (): Promise<number> => {
    if (!deps.db) return 0;
    try {
      const row = await deps.db.selectFrom('cache_generations').select('generation').where('name', '=', GENERATION).executeTakeFirst();
      return Number(row?.generation ?? 0);
    } catch (error) {
      onError(error);
      return -1;
    }
  };

  return {
    async get(options = {}) {
      const generation = await currentGeneration();
      if (!options.refresh && cached && cached.generation === generation && generation !== -1 && fresh(cached.snapshot)) return cached.snapshot;
      // Concurrent visitors share one fetch.
      inFlight ??= (async () => {
        const { organizations, partial } = await fetchAllOrganizations(deps.facturapi);
        const now = deps.now();
        return { snapshot: { fetchedAt: now, partial, ...buildRadar(organizations, now) }, generation };
      })().finally(() => {
        inFlight = null;
      });
      cached = await inFlight;
      return cached.snapshot;
    },
    async forget() {
      cached = null;
      if (!deps.db) return;
      try {
        await bumpGeneration(deps.db, {});
      } catch (error) {
        onError(error);
      }
    },
  };
}
