import type { OrganizationWire } from './organization-wire.js';

/** Lower-case, without accents (Ñ → n), so "pena" finds "Peña" and "bajio" finds "Bajío". */
export function searchKey(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}

/** One page of a search, in Facturapi's wire shape. */
export interface OrganizationSearchResult {
  page: number;
  total_pages: number;
  total_results: number;
  data: OrganizationWire[];
}

/** The emulator's in-memory organizations. Callers get copies, never live objects. */
export class OrganizationStore {
  private readonly byId = new Map<string, OrganizationWire>();
  private readonly keys = new Map<string, string>();

  constructor(organizations: readonly OrganizationWire[]) {
    for (const org of organizations) this.put(structuredClone(org));
  }

  /** A copy of the organization, or undefined. */
  get(id: string): OrganizationWire | undefined {
    const org = this.byId.get(id);
    return org ? structuredClone(org) : undefined;
  }

  /** Stores (replaces) an organization. */
  put(org: OrganizationWire): void {
    this.byId.set(org.id, structuredClone(org));
    this.keys.set(org.id, searchKey([org.legal.name, org.legal.legal_name, org.legal.tax_id ?? ''].join('\u0000')));
  }

  /** Newest first, like Facturapi; `q` matches name, legal name or RFC. */
  search(query: { q: string | undefined; page: number; limit: number }): OrganizationSearchResult {
    const needle = query.q ? searchKey(query.q.trim()) : '';
    const matches = [...this.byId.values()]
      .filter((org) => needle === '' || (this.keys.get(org.id) ?? '').includes(needle))
      .sort((a, b) => b.created_at.localeCompare(a.created_at) || a.id.localeCompare(b.id));
    const start = (query.page - 1) * query.limit;
    return {
      page: query.page,
      total_pages: Math.ceil(matches.length / query.limit),
      total_results: matches.length,
      data: matches.slice(start, start + query.limit).map((org) => structuredClone(org)),
    };
  }
}
