import { describe, expect, it } from 'vitest';
import type { FacturapiClient } from '../facturapi/client.js';
import { FacturapiRejectedError, FacturapiUnavailableError } from '../facturapi/errors.js';
import type { Organization } from '../facturapi/organization.js';
import { createOrganizationDirectory } from './organization-directory.js';

const id = (n: number) => n.toString(16).padStart(24, '0');
const org = (orgId: string): Organization => ({
  id: orgId, name: `Org ${orgId.slice(-2)}`, legalName: `ORG ${orgId.slice(-2)}`, rfc: 'AAA010101AAA', isProductionReady: true, pendingSteps: [],
  certificate: { hasCertificate: false, updatedAt: null, expiresAt: null, serialNumber: null }, fiel: { hasCertificate: false, updatedAt: null, expiresAt: null, serialNumber: null }, createdAt: null,
});

/** A Facturapi that answers getOrganization with `answer` and counts the calls. */
function fakeFacturapi(answer: (orgId: string) => Promise<Organization>) {
  const calls: string[] = [];
  const client = { getOrganization: (orgId: string) => (calls.push(orgId), answer(orgId)) } as unknown as FacturapiClient;
  return { client, calls };
}

function clock(start = 0) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

describe('the organization directory', () => {
  it('when names were read, then they are reused until they expire, and read again after', async () => {
    const c = clock();
    const f = fakeFacturapi(async (o) => org(o));
    const dir = createOrganizationDirectory({ facturapi: f.client, now: c.now, ttlMs: 60_000 });
    expect((await dir.namesOf([id(1), id(2), id(1)])).get(id(1))?.legalName).toBe('ORG 01');
    await dir.namesOf([id(1), id(2)]);
    expect(f.calls).toEqual([id(1), id(2)]);
    c.advance(60_001);
    await dir.namesOf([id(1)]);
    expect(f.calls).toEqual([id(1), id(2), id(1)]);
  });

  it('when more names are kept than allowed, then the oldest are dropped', async () => {
    const f = fakeFacturapi(async (o) => org(o));
    const dir = createOrganizationDirectory({ facturapi: f.client, now: clock().now, maxEntries: 2 });
    await dir.namesOf([id(1), id(2), id(3)]);
    await dir.namesOf([id(3), id(2)]);
    expect(f.calls).toHaveLength(3);
    await dir.namesOf([id(1)]);
    expect(f.calls).toHaveLength(4);
  });

  it('when Facturapi does not know an id, then it is left out and not asked again meanwhile; ids of another shape are never sent', async () => {
    const f = fakeFacturapi(async (o) => {
      throw new FacturapiRejectedError({ status: 404, code: 'organization_not_found', message: 'x', logId: null });
    });
    const dir = createOrganizationDirectory({ facturapi: f.client, now: clock().now });
    expect((await dir.namesOf([id(9), 'not-an-id', null])).size).toBe(0);
    await dir.namesOf([id(9)]);
    expect(f.calls).toEqual([id(9)]);
    expect(await dir.exists(id(9))).toBe(false);
  });

  it('when Facturapi never answers, then the names come back empty once the wait is over', async () => {
    const f = fakeFacturapi(() => new Promise<Organization>(() => undefined));
    const dir = createOrganizationDirectory({ facturapi: f.client, now: clock().now, waitMs: 20 });
    expect((await dir.namesOf([id(1)])).size).toBe(0);
    expect(f.calls).toEqual([id(1)]);
  });

  it('when Facturapi fails, then later pages do not ask it again until the pause is over', async () => {
    const c = clock();
    const f = fakeFacturapi(async () => {
      throw new FacturapiUnavailableError({ reason: 'timeout' });
    });
    const dir = createOrganizationDirectory({ facturapi: f.client, now: c.now, pauseAfterFailureMs: 30_000 });
    expect((await dir.namesOf([id(1), id(2), id(3)])).size).toBe(0);
    expect((await dir.namesOf([id(4)])).size).toBe(0);
    // The lookups in flight when Facturapi failed may have been sent; none after.
    expect(f.calls.length).toBeLessThanOrEqual(3);
    expect(f.calls).not.toContain(id(4));
    c.advance(30_001);
    await dir.namesOf([id(4)]);
    expect(f.calls).toContain(id(4));
  });

  it('when Facturapi cannot tell whether an organization exists, then exists throws instead of guessing', async () => {
    const f = fakeFacturapi(async () => {
      throw new FacturapiUnavailableError({ reason: 'server', status: 503 });
    });
    const dir = createOrganizationDirectory({ facturapi: f.client, now: clock().now });
    await expect(dir.exists(id(1))).rejects.toBeInstanceOf(FacturapiUnavailableError);
  });
});
