/**
 * Organization names for pages that otherwise hold only ids (the audit trail, People, pickers),
 * read from Facturapi and kept a short while. Facturapi stays the source of truth: the cache is
 * small (bounded entries, minutes of life), and a name that cannot be read in time is simply left
 * out, so callers fall back to the id; a Facturapi outage never fails the page that wanted names
 * and, once seen, stops further lookups for a moment instead of making every page wait for it.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Clock } from '../clock.js';
import type { FacturapiClient } from '../facturapi/client.js';
import { FacturapiRejectedError } from '../facturapi/errors.js';
import type { Organization } from '../facturapi/organization.js';
import { isOrganizationId } from '../facturapi/organization-id.js';

/** What a page shows of an organization in place of its id. */
export interface OrganizationName {
  id: string;
  /** Commercial name (Facturapi's `legal.name`). */
  name: string;
  /** Fiscal name; '' when Facturapi has none. */
  legalName: string;
  rfc: string | null;
}

export interface OrganizationDirectory {
  /** Names of these ids, from the cache or Facturapi within the wait; ids unknown or not read in time are absent. Never throws. */
  namesOf(ids: Iterable<string | null | undefined>): Promise<Map<string, OrganizationName>>;
  /** Organizations whose name, legal name or RFC match `q` (Facturapi's `q`); Facturapi's errors are thrown. */
  search(q: string, limit?: number): Promise<OrganizationName[]>;
  /** Whether Facturapi knows the organization; throws when Facturapi cannot tell (down, key refused). */
  exists(id: string): Promise<boolean>;
  /** Drops every kept name (an upload can change an organization's RFC). */
  forget(): void;
}

export interface DirectoryOptions {
  facturapi: FacturapiClient;
  now: Clock;
  /** How long a name is reused. */
  ttlMs?: number;
  /** At most this many names are kept (the oldest go first). */
  maxEntries?: number;
  /** How long a page waits for names it does not have yet. */
  waitMs?: number;
  /** After a failed lookup, no new lookups for this long (the page shows ids meanwhile). */
  pauseAfterFailureMs?: number;
  /** Lookups in flight at once. */
  concurrency?: number;
}

const isNotFound = (error: unknown) => error instanceof FacturapiRejectedError && (error.status === 404 || error.code === 'organization_not_found');

export function nameOf(org: Organization): OrganizationName {
  return { id: org.id, name: org.name, legalName: org.legalName, rfc: org.rfc };
}

export function createOrganizationDirectory(options: DirectoryOptions): OrganizationDirectory {
  const ttlMs = options.ttlMs ?? 5 * 60_000;
  const maxEntries = options.maxEntries ?? 2_000;
  const waitMs = options.waitMs ?? 1_500;
  const pauseMs = options.pauseAfterFailureMs ?? 30_000;
  const concurrency = options.concurrency ?? 6;
  // null: Facturapi said it does not know the id (kept too, so a deleted one is not asked for on every page).
  const cache = new Map<string, { value: OrganizationName | null; expiresAt: number }>();
  const inFlight = new Map<string, Promise<void>>();
  let pausedUntil = 0;

  const remember = (id: string, value: OrganizationName | null) => {
    cache.delete(id);
    cache.set(id, { value, expiresAt: options.now().getTime() + ttlMs });
    while (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
  };
  const cached = (id: string) => {
    const entry = cache.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt <= options.now().getTime()) {
      cache.delete(id);
      return undefined;
    }
    return entry;
  };

  const lookUp = (id: string): Promise<void> => {
    const running = inFlight.get(id);
    if (running) return running;
    const work = options.facturapi
      .getOrganization(id)
      .then((org) => remember(id, nameOf(org)))
      .catch((error: unknown) => {
        if (isNotFound(error)) remember(id, null);
        else pausedUntil = options.now().getTime() + pauseMs;
      })
      .finally(() => inFlight.delete(id));
    inFlight.set(id, work);
    return work;
  };

  /** Looks the ids up, `concurrency` at a time, stopping early once Facturapi fails. */
  const lookUpAll = async (ids: string[]) => {
    const queue = [...ids];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        if (pausedUntil > options.now().getTime()) return;
        await lookUp(id);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  };

  return {
    async namesOf(ids) {
      const wanted = [...new Set([...ids].filter((id): id is string => typeof id === 'string' && isOrganizationId(id)))];
      const missing = wanted.filter((id) => cached(id) === undefined);
      if (missing.length > 0 && pausedUntil <= options.now().getTime()) {
        // The page waits a bounded time; lookups still running finish in the background and fill the cache.
        const timer = new AbortController();
        await Promise.race([lookUpAll(missing), delay(waitMs, undefined, { signal: timer.signal, ref: false }).catch(() => undefined)]);
        timer.abort();
      }
      const names = new Map<string, OrganizationName>();
      for (const id of wanted) {
        const value = cached(id)?.value;
        if (value) names.set(id, value);
      }
      return names;
    },
    async search(q, limit = 10) {
      const page = await options.facturapi.listOrganizations({ q, page: 1, limit });
      const found = page.data.map(nameOf);
      for (const org of found) remember(org.id, org);
      return found;
    },
    forget() {
      cache.clear();
    },
    async exists(id) {
      if (!isOrganizationId(id)) return false;
      try {
        remember(id, nameOf(await options.facturapi.getOrganization(id)));
        return true;
      } catch (error) {
        if (!isNotFound(error)) throw error;
        remember(id, null);
        return false;
      }
    },
  };
}
