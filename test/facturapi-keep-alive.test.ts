/**
 * Keep-alive to Facturapi through the whole app (issue 14): uploads relayed one after another
 * share one connection, and a malformed answer on that reused connection ends the upload within
 * the deadline with the "no answer" page, after which the read-back and the next upload share one
 * fresh connection. The app reaches the emulator through a TCP forwarder that counts connections.
 * Each upload sends its own certificate: the installed one sent again is not sent (issue 10).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFacturapiClient } from '../src/facturapi/client.js';
import { DEMO_ORGANIZATION_IDS } from '../emulator/index.js';
import { certificateNumber, FIXTURE_REFERENCE_DATE, generateSatPair, standardFixtures, type StandardFixtures } from '../fixtures/index.js';
import { startTestApp, TEST_USER_KEY, type SignedIn, type TestApp } from './support/app-harness.js';
import { startTcpForwarder, type TcpForwarder } from './support/tcp-forwarder.js';
import { postUpload } from './support/upload-request.js';

const ORG = DEMO_ORGANIZATION_IDS.noCertificate;
const TIMEOUT_MS = 1_500;

let t: TestApp;
let forwarder: TcpForwarder;
let support: SignedIn;
let fx: StandardFixtures;
let nextNumber = 500;
const freshCsd = () => generateSatPair({ validFrom: fx.validCsd.validFrom, validTo: fx.validCsd.validTo, certificateNumber: certificateNumber(nextNumber++) });

beforeAll(async () => {
  fx = standardFixtures(FIXTURE_REFERENCE_DATE);
  forwarder = await startTcpForwarder();
  const facturapi = createFacturapiClient({ baseUrl: `http://127.0.0.1:${forwarder.port}/v2`, userKey: TEST_USER_KEY, timeoutMs: TIMEOUT_MS, retry: { baseDelayMs: 1 } });
  t = await startTestApp({ timeoutMs: TIMEOUT_MS, env: { UPLOADS_PER_USER_PER_HOUR: '100000' }, deps: { facturapi } });
  forwarder.targetPort = t.emulator.port;
  support = await t.signIn('support');
});
afterAll(async () => {
  await t?.close();
  await forwarder?.close();
});

describe('uploads relayed over kept-alive connections', () => {
  it('sends consecutive uploads over one connection', async () => {
    const before = forwarder.accepted;
    for (let i = 0; i < 5; i++) expect((await postUpload(support, ORG, freshCsd())).status).toBe(303);
    expect(forwarder.accepted - before).toBeLessThanOrEqual(1);
  });

  it('after a malformed answer on the reused connection, the upload fails in time and the next one succeeds on a fresh connection', async () => {
    expect((await postUpload(support, ORG, freshCsd())).status).toBe(303);
    const before = forwarder.accepted;
    t.emulator.setFault({ kind: 'malformed_json' }, { times: 1, match: { method: 'PUT' } });
    const started = performance.now();
    const failed = await postUpload(support, ORG, freshCsd());
    expect(failed.status).toBe(503);
    expect(failed.text).toContain('Se envió a Facturapi, pero no dio una respuesta.');
    expect(failed.text).toContain('no quedó instalado');
    expect(performance.now() - started).toBeLessThan(TIMEOUT_MS + 1_000);
    // The pre-send read and the malformed PUT used the connection the previous upload left open;
    // that socket is destroyed, so the read-back opened the one new connection.
    expect(forwarder.accepted).toBe(before + 1);

    const next = await postUpload(support, ORG, freshCsd());
    expect(next.status).toBe(303);
    expect(forwarder.accepted).toBe(before + 1);
  });
});
