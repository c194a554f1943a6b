/**
 * Load (issue 6, part 3): thousands of uploads for as many organizations at concurrency 64,
 * through the app to the emulator, over keep-alive connections. A correctness test, not a timed
 * one: zero errors, zero lost, zero crossed (each organization ends with exactly its own
 * certificate, by number), memory bounded.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInspectionPool, type InspectionPool } from '../src/certificates/inspection-pool.js';
import { generatedOrganizations, type OrganizationWire } from '../emulator/index.js';
import { startTestApp, type TestApp } from './support/app-harness.js';
import { httpRequest, rawSignIn, uploadBody, type RawSession } from '../tools/raw-http.js';
import { certificateNumber, FIXTURE_REFERENCE_DATE, generateSatPair, pooledKeyPair } from '../fixtures/index.js';
import { liveMemory } from './support/memory.js';
import { TEST_USERS } from './support/users.js';

const UPLOADS = 2_000;
const CONCURRENCY = 64;
/** Certificate numbers of this test start here, away from the standard fixtures' slots. */
const NUMBER_BASE = 1_000_000;
/** Live heap growth allowed over 2,000 uploads (the audit trail and logs of the run stay in memory). */
const MEMORY_BOUND = 100 * 1024 * 1024;

interface Result {
  organizationId: string;
  status: number;
  location: string;
}

describe(`when ${UPLOADS} uploads for ${UPLOADS} organizations arrive ${CONCURRENCY} at a time`, () => {
  let t: TestApp;
  let pool: InspectionPool;
  let session: RawSession;
  let organizations: OrganizationWire[];
  const results: Result[] = [];
  let memoryGrowth = { heap: 0, rss: 0 };

  beforeAll(async () => {
    organizations = generatedOrganizations(UPLOADS, FIXTURE_REFERENCE_DATE);
    // As in production, the certificate check runs in the worker pool.
    pool = createInspectionPool();
    t = await startTestApp({ organizations, env: { UPLOADS_PER_USER_PER_HOUR: '100000', UPLOADS_PER_SUPPORT_USER_PER_HOUR: '100000', UPLOAD_LOCAL_REFUSALS_PER_USER_PER_HOUR: '100000' }, deps: { inspect: (input) => pool.inspect(input) } });
    session = await rawSignIn(t.url, TEST_USERS.support.email, TEST_USERS.support.password);
    // One shared RSA key (keygen is slow); each organization gets its own certificate number,
    // and the organization's RFC where it has one (Facturapi refuses an RFC change).
    const keyPair = pooledKeyPair(0);
    const bodies = organizations.map((org, i) => {
      const pair = generateSatPair({ keyPair, certificateNumber: certificateNumber(NUMBER_BASE + i), ...(org.legal.tax_id ? { rfc: org.legal.tax_id } : {}) });
      return uploadBody(session, pair);
    });

    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const before = liveMemory();
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < UPLOADS; i = next++) {
        const { body, contentType } = bodies[i]!;
        const res = await httpRequest(`${t.url}/organizations/${organizations[i]!.id}/certificate`, {
          method: 'POST',
          headers: { Cookie: session.cookie, 'Content-Type': contentType, 'Content-Length': body.length },
          body,
          agent,
        }).catch((error: Error) => ({ status: -1, headers: {} as http.IncomingHttpHeaders, body: error.message }));
        results.push({ organizationId: organizations[i]!.id, status: res.status, location: String(res.headers.location ?? '') });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    agent.destroy();
    // The results and the emulator's received log are kept for the checks: they are small.
    const after = liveMemory();
    memoryGrowth = { heap: after.heapUsed - before.heapUsed, rss: after.rss - before.rss };
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await pool?.close();
  });

  it('then every upload was answered with the redirect of a success', () => {
    const failures = results.filter((r) => r.status !== 303);
    expect(failures.slice(0, 5)).toEqual([]);
    expect(results).toHaveLength(UPLOADS);
  });

  it('then Facturapi received each upload exactly once', () => {
    const puts = t.emulator.received.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(UPLOADS);
    expect(new Set(puts.map((r) => r.path)).size).toBe(UPLOADS);
  });

  it('then each organization ends with exactly its own certificate', () => {
    const crossed = organizations.filter((org, i) => t.emulator.getOrganization(org.id)?.certificate.serial_number !== certificateNumber(NUMBER_BASE + i));
    expect(crossed.map((o) => o.id)).toEqual([]);
  });

  it('then each person was shown the certificate of the organization they uploaded to', () => {
    const index = new Map(organizations.map((org, i) => [org.id, i]));
    const crossed = results.filter((r) => !r.location.startsWith(`/organizations/${r.organizationId}?uploaded=${certificateNumber(NUMBER_BASE + index.get(r.organizationId)!)}`));
    expect(crossed.slice(0, 5)).toEqual([]);
  });

  it('then every upload is in the audit trail as a success', async () => {
    const { total } = await t.audit.query({ action: 'certificate.upload', page: 1, pageSize: 1 });
    expect(total).toBe(UPLOADS);
  });

  it('then memory stayed bounded', () => {
    expect(memoryGrowth.heap).toBeLessThan(MEMORY_BOUND);
    expect(memoryGrowth.rss).toBeLessThan(2 * MEMORY_BOUND);
  });
});
