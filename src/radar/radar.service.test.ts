import { describe, expect, it } from 'vitest';
import { MAX_LIST_LIMIT, MAX_LIST_PAGE, type FacturapiClient, type ListOrganizationsQuery } from '../facturapi/client.js';
import type { Organization } from '../facturapi/organization.js';
import { buildRadar, createRadar, fetchAllOrganizations } from './radar.service.js';

const NOW = new Date('2026-03-01T12:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;

function organization(id: string, expiresInDays: number | null, legalName = `ORG ${id}`): Organization {
  const expiresAt = expiresInDays === null ? null : new Date(NOW.getTime() + expiresInDays * DAY_MS);
  return { id, name: legalName, legalName, rfc: null, isProductionReady: true, pendingSteps: [], createdAt: null, certificate: { hasCertificate: expiresAt !== null, updatedAt: null, expiresAt, serialNumber: null }, fiel: { hasCertificate: false, updatedAt: null, expiresAt: null, serialNumber: null } };
}

/** A Facturapi that serves `totalPages` pages of one organization each and records the queries. */
function pagedClient(totalPages: number) {
  const queries: ListOrganizationsQuery[] = [];
  const client = {
    async listOrganizations(query: ListOrganizationsQuery = {}) {
      queries.push(query);
      const page = query.page ?? 1;
      return { page, totalPages, totalResults: totalPages, data: [organization(`p${page}`, 200)] };
    },
  } as unknown as FacturapiClient;
  return { client, queries };
}

describe('the expiry radar', () => {
  it('when organizations are grouped, then expired and missing come first, then by days left, soonest first', () => {
    const { rows, counts } = buildRadar([organization('later', 200), organization('w60', 45), organization('none', null), organization('w30', 5), organization('gone', -3), organization('w90', 80)], NOW);
    expect(rows.map((r) => r.group)).toEqual(['expired', 'missing', 'within30', 'within60', 'within90', 'later']);
    expect(counts).toEqual({ expired: 1, missing: 1, within30: 1, within60: 1, within90: 1, later: 1 });
  });

  it('when Facturapi has more pages than it serves, then the radar reads its last page, never asks beyond its bounds, and says so', async () => {
    const { client, queries } = pagedClient(MAX_LIST_PAGE + 5);
    const { organizations, partial } = await fetchAllOrganizations(client);
    expect(organizations).toHaveLength(MAX_LIST_PAGE);
    expect(Math.max(...queries.map((q) => q.page ?? 1))).toBe(MAX_LIST_PAGE);
    expect(queries.every((q) => q.limit === MAX_LIST_LIMIT)).toBe(true);
    expect(partial).toEqual({ pagesRead: MAX_LIST_PAGE, totalPages: MAX_LIST_PAGE + 5, reason: 'page_limit' });
  });

  it('when visitors ask at once, then they share one fetch; after forget, the next one fetches again', async () => {
    const { client, queries } = pagedClient(1);
    const radar = createRadar({ facturapi: client, now: () => NOW, cacheSeconds: 300 });
    const [a, b] = await Promise.all([radar.get(), radar.get()]);
    expect(a).toBe(b);
    expect(queries).toHaveLength(1);
    await radar.get();
    expect(queries).toHaveLength(1);
    radar.forget();
    await radar.get();
    expect(queries).toHaveLength(2);
  });
});
