/**
 * Issue 13, item 3: the expiry radar's cache across instances. Two apps share one database (and
 * one Facturapi); B has its radar cached when an upload through A changes a certificate. B must
 * show the new certificate on its next view, not its cached snapshot for RADAR_CACHE_SECONDS.
 * Runs on SQLite (app project) and PostgreSQL (app-postgres).
 */
import { afterEach, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/index.js';
import { FIXTURE_REFERENCE_DATE, standardFixtures } from '../fixtures/index.js';
import { createFacturapiClient } from '../src/facturapi/client.js';
import { startTestApp, TEST_USER_KEY, type TestApp } from './support/app-harness.js';
import { httpRequest, rawSignIn, uploadBody } from '../tools/raw-http.js';
import { TEST_USERS } from './support/users.js';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0).reverse()) await app.close();
});

it('when an upload through instance A changes a certificate, then instance B radar shows it at once', async () => {
  const a = await startTestApp({ env: { RADAR_CACHE_SECONDS: '3600' } });
  apps.push(a);
  // B: the same database, sessions and Facturapi as A, its own app (and so its own radar cache).
  const facturapi = createFacturapiClient({ baseUrl: a.emulator.url, userKey: TEST_USER_KEY, timeoutMs: 5000 });
  const b = await startTestApp({ seedUsers: false, env: { RADAR_CACHE_SECONDS: '3600' }, deps: { db: a.database.db, sessionStore: a.sessionStore, facturapi } });
  apps.push(b);

  const support = await rawSignIn(a.url, TEST_USERS.support.email, TEST_USERS.support.password);
  const radarOnB = async () => {
    const res = await httpRequest(`${b.url}/radar.csv`, { headers: { Cookie: support.cookie } });
    expect(res.status).toBe(200);
    return res.body;
  };
  const fx = standardFixtures(FIXTURE_REFERENCE_DATE);
  expect(await radarOnB()).not.toContain(fx.validCsd.certificateNumber);

  const { body, contentType } = uploadBody(support, fx.validCsd);
  const uploaded = await httpRequest(`${a.url}/organizations/${DEMO_ORGANIZATION_IDS.noCertificate}/certificate`, {
    method: 'POST',
    headers: { Cookie: support.cookie, 'Content-Type': contentType, 'Content-Length': body.length },
    body,
  });
  expect(uploaded.status).toBe(303);
  expect(await radarOnB()).toContain(fx.validCsd.certificateNumber);
});
