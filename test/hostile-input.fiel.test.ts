/**
 * Hostile corpus for the e.firma form (issue 12, part 1), raw sockets against the real app and
 * emulator: a cross-site post without a CSRF token, another organization's admin, a stray field,
 * a repeated password, a confirmation with another value, and an anonymous post. Each gets its
 * 4xx, and Facturapi never receives the e.firma.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/demo-data.js';
import { startTestApp, type TestApp } from './support/app-harness.js';
import { multipartBody, rawExchange, rawSignIn, type Part, type RawSession } from '../tools/raw-http.js';
import { FIXTURE_REFERENCE_DATE, standardFixtures, type StandardFixtures } from '../fixtures/index.js';
import { TEST_USERS } from './support/users.js';

const ORG = DEMO_ORGANIZATION_IDS.noCertificate; // the admin is a member; otherAdmin is not
const B = 'fielHostileBoundary12';

let t: TestApp;
let admin: RawSession;
let other: RawSession;
let fx: StandardFixtures;

beforeAll(async () => {
  fx = standardFixtures(FIXTURE_REFERENCE_DATE);
  t = await startTestApp();
  admin = await rawSignIn(t.url, TEST_USERS.admin.email, TEST_USERS.admin.password);
  other = await rawSignIn(t.url, TEST_USERS.otherAdmin.email, TEST_USERS.otherAdmin.password);
});
afterAll(() => t?.close());

const files = (): Part[] => [
  { name: 'cer', data: fx.fiel.cer, filename: 'FIEL.cer', contentType: 'application/x-x509-ca-cert' },
  { name: 'key', data: fx.fiel.key, filename: 'FIEL.key', contentType: 'application/octet-stream' },
  { name: 'password', data: fx.fiel.password },
];

function post(session: RawSession | null, parts: Part[]) {
  const body = multipartBody(B, parts);
  const head = [
    `POST /organizations/${ORG}/fiel HTTP/1.1`,
    'Host: 127.0.0.1',
    ...(session ? [`Cookie: ${session.cookie}`] : []),
    `Content-Type: multipart/form-data; boundary=${B}`,
    `Content-Length: ${body.length}`,
  ].join('\r\n');
  return rawExchange(t.url, head, body);
}

const token = (s: RawSession): Part => ({ name: '_csrf', data: s.csrf });
const yes: Part = { name: 'confirmFiel', data: 'yes' };
const fielPuts = () => t.emulator.received.filter((r) => r.method === 'PUT' && r.path.endsWith('/fiel')).length;

describe('hostile e.firma posts', () => {
  it.each([
    ['no CSRF token (cross-site)', () => post(admin, [...files(), yes]), 403],
    ['a forged CSRF token', () => post(admin, [{ name: '_csrf', data: 'f'.repeat(64) }, ...files(), yes]), 403],
    ['another organization’s admin', () => post(other, [token(other), ...files(), yes]), 403],
    ['a stray field', () => post(admin, [token(admin), ...files(), yes, { name: 'organizationId', data: 'x' }]), 400],
    ['a repeated password', () => post(admin, [token(admin), ...files(), { name: 'password', data: 'again' }, yes]), 400],
    ['a confirmation with another value', () => post(admin, [token(admin), ...files(), { name: 'confirmFiel', data: 'true' }]), 400],
  ] as const)('%s gets its 4xx and nothing reaches Facturapi', async (_name, send, status) => {
    const before = fielPuts();
    const res = await send();
    expect(res.status).toBe(status);
    expect(fielPuts()).toBe(before);
    expect(res.body).not.toContain(fx.fiel.password);
  });

  it('an anonymous post is sent to the login page, and nothing reaches Facturapi', async () => {
    const before = fielPuts();
    const res = await post(null, [...files(), yes]);
    expect([302, 303, 401, 403]).toContain(res.status);
    expect(fielPuts()).toBe(before);
  });
});
