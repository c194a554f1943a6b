/**
 * Logs (issue 6, part 6): the main flows run with debug logging captured — login success and
 * failure, uploads that succeed and fail, logout, a CSRF failure, an invitation created and
 * accepted, a password-reset link issued and opened — and no secret may appear in any log line:
 * the CSD password, key bytes (raw, base64, hex), the user key, the session cookie, CSRF tokens,
 * one-time link tokens, people's passwords. Also: request ids from a trusted proxy are kept when
 * valid, replaced when not, echoed, and shown on error pages as logged. Complements secrets.test.ts (uploads only).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { listUsers } from '../src/accounts/users.service.js';
import { DEMO_ORGANIZATION_IDS } from '../emulator/index.js';
import { csrfFrom, startTestApp, TEST_USER_KEY, type SignedIn, type TestApp } from './support/app-harness.js';
import { FIXTURE_REFERENCE_DATE, generateSatPair, pooledKeyPair } from '../fixtures/index.js';
import { postUpload } from './support/upload-request.js';
import { TEST_USERS } from './support/users.js';

const CSD_PASSWORD = 'Clave-CSD-Ñandú-5521';
const NEW_PERSON_PASSWORD = 'nueva-frase-de-paso-8812';
const pair = generateSatPair({ password: CSD_PASSWORD, keyPair: pooledKeyPair(3), validFrom: new Date('2025-01-01'), validTo: new Date('2029-01-01') });
const ORG = DEMO_ORGANIZATION_IDS.noCertificate;

const tokenFrom = (html: string) => /\/account\/set-password\/([A-Za-z0-9_-]{20,})/.exec(html)?.[1];
const cookieValue = (setCookie: string[] | string | undefined) => {
  const cookies = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return /csd_relay_sid=([^;]+)/.exec(cookies.join(';'))?.[1];
};

describe('when the main flows run with debug logging', () => {
  let t: TestApp;
  let support: SignedIn;
  const secrets: [string, string][] = [];
  const logLinesPerFlow = new Map<string, number>();

  beforeAll(async () => {
    t = await startTestApp({ now: FIXTURE_REFERENCE_DATE, env: { UPLOADS_PER_USER_PER_HOUR: '1000', UPLOADS_PER_SUPPORT_USER_PER_HOUR: '1000', UPLOAD_LOCAL_REFUSALS_PER_USER_PER_HOUR: '1000' } });
    const step = (name: string) => logLinesPerFlow.set(name, t.logs.lines.length);

    // Login: a failure, then a success (its session cookie is a secret).
    const agent = request.agent(t.url);
    const loginPage = await agent.get('/login');
    const loginCsrf = csrfFrom(loginPage.text);
    await agent.post('/login').type('form').send({ _csrf: loginCsrf, email: TEST_USERS.support.email, password: 'wrong-password-123' });
    const login = await agent.post('/login').type('form').send({ _csrf: loginCsrf, email: TEST_USERS.support.email, password: TEST_USERS.support.password });
    expect(login.status).toBe(303);
    const sid = cookieValue(login.headers['set-cookie']);
    const csrf = csrfFrom((await agent.get('/organizations')).text);
    support = { agent, csrf };
    secrets.push(['login CSRF token', loginCsrf], ['session CSRF token', csrf], ['session cookie', sid!], ['session id', decodeURIComponent(sid!).slice(2).split('.')[0]!], ['support password', TEST_USERS.support.password]);
    step('login');

    // Uploads: success, wrong password, Facturapi down.
    expect((await postUpload(support, ORG, pair)).status).toBe(303);
    expect((await postUpload(support, ORG, { ...pair, password: `${CSD_PASSWORD}-mal` })).status).toBe(422);
    t.emulator.setFault({ kind: 'status', status: 503, json: true }, { match: { method: 'PUT' } });
    // Another organization: the same certificate sent again to ORG would not be sent at all.
    expect((await postUpload(support, DEMO_ORGANIZATION_IDS.noCertificateEither, pair)).status).toBe(503);
    t.emulator.setFault(null);
    step('uploads');

    // A CSRF failure.
    expect((await agent.post('/logout').type('form').send({ _csrf: 'forged' })).status).toBe(403);
    step('csrf');

    // An invitation, created and accepted.
    const invite = await agent.post('/people/invite').type('form').send({ _csrf: csrf, email: 'invitada@example.test', name: 'Ivana Invitada', organizationId: ORG });
    expect(invite.status).toBe(200);
    const invitationToken = tokenFrom(invite.text)!;
    secrets.push(['invitation token', invitationToken], ['new person password', NEW_PERSON_PASSWORD]);
    const invited = request.agent(t.url);
    expect((await invited.get(`/account/set-password/${invitationToken}`)).status).toBe(303);
    const setPage = await invited.get('/account/set-password');
    const accepted = await invited
      .post('/account/set-password')
      .type('form')
      .send({ _csrf: csrfFrom(setPage.text), name: 'Ivana Invitada', email: 'invitada@example.test', password: NEW_PERSON_PASSWORD, confirm: NEW_PERSON_PASSWORD });
    expect(accepted.status).toBe(303);
    step('invitation');

    // A password-reset link, issued and opened.
    const person = (await listUsers(t.database.db)).find((u) => u.email === TEST_USERS.admin.email)!;
    const reset = await agent.post(`/people/${person.id}/reset`).type('form').send({ _csrf: csrf });
    const resetToken = tokenFrom(reset.text)!;
    secrets.push(['reset token', resetToken]);
    expect((await request(t.url).get(`/account/set-password/${resetToken}`)).status).toBe(303);
    step('reset');

    // Logout.
    expect((await agent.post('/logout').type('form').send({ _csrf: csrf })).status).toBe(303);
    step('logout');

    secrets.push(
      ['CSD password', CSD_PASSWORD],
      ['user key', TEST_USER_KEY],
      ['key base64', pair.key.toString('base64').slice(0, 40)],
      ['key hex', pair.key.toString('hex').slice(100, 160)],
      ['key latin1', pair.key.subarray(80, 120).toString('latin1')],
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  it('then every flow wrote log lines (the check below has something to look at)', () => {
    const counts = [...logLinesPerFlow.values()];
    expect(counts.every((count, i) => count > (counts[i - 1] ?? 0))).toBe(true);
    expect(t.logs.lines.some((line) => line.includes('"level":"debug"'))).toBe(true);
  });

  it('then no secret appears in any log line', () => {
    expect(secrets.length).toBeGreaterThanOrEqual(13);
    const leaks = secrets.filter(([, secret]) => t.logs.text.includes(secret) || t.logs.text.includes(JSON.stringify(secret).slice(1, -1)));
    expect(leaks.map(([name]) => name)).toEqual([]);
  });

  it('then one-time link paths are logged with the token redacted', () => {
    expect(t.logs.text).toContain('/account/set-password/[redacted]');
  });
});

describe('when requests carry request ids', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Incoming ids are honoured only from a trusted proxy (issue 9, item 17; the untrusted case is in request-id.test.ts).
    t = await startTestApp({ now: FIXTURE_REFERENCE_DATE, env: { TRUST_PROXY_HOPS: '1' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('then a valid incoming X-Request-Id from a trusted proxy is kept, echoed and logged', async () => {
    const res = await request(t.url).get('/login').set('X-Request-Id', 'proxy-abc-12345678');
    expect(res.headers['x-request-id']).toBe('proxy-abc-12345678');
    expect(t.logs.lines.some((line) => line.includes('"id":"proxy-abc-12345678"'))).toBe(true);
  });

  it.each([['too short', 'abc'], ['with spaces and quotes', 'id with "quotes" 123'], ['too long', 'x'.repeat(65)], ['with a newline', 'abcdefgh%0aINJECTED']])(
    'then an invalid incoming X-Request-Id (%s) is replaced',
    async (_name, id) => {
      const res = await request(t.url).get('/login').set('X-Request-Id', id);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(t.logs.text).not.toContain(`"id":${JSON.stringify(id)}`);
      expect(t.logs.lines.some((line) => line.includes(`"id":"${res.headers['x-request-id']}"`))).toBe(true);
    },
  );

  it('then the error page shows the id that is in the log line', async () => {
    const session = await t.signIn('support');
    const res = await session.agent.get('/organizations/zzzzzzzzzzzzzzzzzzzzzzzz').set('Accept', 'text/html');
    expect(res.status).toBe(404);
    const id = res.headers['x-request-id'];
    expect(res.text).toContain(`Referencia: ${id}`);
    const line = t.logs.lines.find((l) => l.includes(`"id":"${id}"`) && l.includes('"statusCode":404'));
    expect(line).toBeDefined();
  });
});
