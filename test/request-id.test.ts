/**
 * Request ids (issue 9, item 17): an incoming X-Request-Id is a proxy's to give. Without a trusted
 * proxy (TRUST_PROXY_HOPS=0) any client could send one, e.g. an id the app issued to somebody
 * else's request, and have it echoed, logged and stored in the audit trail again: then the app
 * makes its own. Behind trusted proxy hops a well-formed id is kept (so the proxy's id follows
 * the request); a malformed one never is. Through HTTP; the audit trail is read where it is kept.
 */
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app-harness.js';
import { FIXTURE_REFERENCE_DATE } from '../fixtures/index.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const auditRowsWithRequestId = (app: TestApp, id: string) => app.database.db.selectFrom('audit_events').select(['action', 'request_id']).where('request_id', '=', id).execute();

/** Two people log out; the second sends the id the app gave the first one's logout. */
async function replayAnIssuedId(app: TestApp) {
  const first = await app.signIn('support');
  const second = await app.signIn('admin');
  const issued = await first.agent.post('/logout').type('form').send({ _csrf: first.csrf });
  expect(issued.status).toBe(303);
  const issuedId = issued.headers['x-request-id'] as string;
  const replayed = await second.agent.post('/logout').type('form').set('X-Request-Id', issuedId).send({ _csrf: second.csrf });
  expect(replayed.status).toBe(303);
  return { issuedId, replayedId: replayed.headers['x-request-id'] as string };
}

describe('when no proxy is trusted (TRUST_PROXY_HOPS=0)', () => {
  it("then a client's X-Request-Id is not used: a new id is echoed and logged", async () => {
    t = await startTestApp({ now: FIXTURE_REFERENCE_DATE });
    const res = await request(t.url).get('/login').set('X-Request-Id', 'client-chosen-12345678');
    expect(res.headers['x-request-id']).toMatch(UUID);
    expect(t.logs.text).not.toContain('client-chosen-12345678');
    expect(t.logs.lines.some((line) => line.includes(`"id":"${res.headers['x-request-id']}"`))).toBe(true);
  });

  it('then an id the app issued to another request is not stored again in the audit trail', async () => {
    t = await startTestApp({ now: FIXTURE_REFERENCE_DATE });
    const { issuedId, replayedId } = await replayAnIssuedId(t);
    expect(replayedId).not.toBe(issuedId);
    expect(await auditRowsWithRequestId(t, issuedId)).toEqual([{ action: 'logout', request_id: issuedId }]);
    expect(await auditRowsWithRequestId(t, replayedId)).toEqual([{ action: 'logout', request_id: replayedId }]);
  });
});

describe('when a proxy hop is trusted (TRUST_PROXY_HOPS=1)', () => {
  it("then a well-formed id is kept, echoed, logged and stored with the request's audit event", async () => {
    t = await startTestApp({ now: FIXTURE_REFERENCE_DATE, env: { TRUST_PROXY_HOPS: '1' } });
    const res = await request(t.url).get('/login').set('X-Request-Id', 'proxy-abc-12345678');
    expect(res.headers['x-request-id']).toBe('proxy-abc-12345678');
    expect(t.logs.lines.some((line) => line.includes('"id":"proxy-abc-12345678"'))).toBe(true);

    const session = await t.signIn('support');
    const logout = await session.agent.post('/logout').type('form').set('X-Request-Id', 'proxy-logout-0001').send({ _csrf: session.csrf });
    expect(logout.headers['x-request-id']).toBe('proxy-logout-0001');
    expect(await auditRowsWithRequestId(t, 'proxy-logout-0001')).toEqual([{ action: 'logout', request_id: 'proxy-logout-0001' }]);
  });

  it.each([
    ['too short', 'abc'],
    ['with spaces and quotes', 'id with "quotes" 123'],
    ['too long', 'x'.repeat(65)],
    ['with an encoded newline', 'abcdefgh%0aINJECTED'],
    ['with markup', '<script>alert(1)</script>'],
  ])('then a malformed id (%s) is still replaced', async (_name, id) => {
    t = await startTestApp({ now: FIXTURE_REFERENCE_DATE, env: { TRUST_PROXY_HOPS: '1' } });
    const res = await request(t.url).get('/login').set('X-Request-Id', id);
    expect(res.headers['x-request-id']).toMatch(UUID);
    expect(t.logs.text).not.toContain(`"id":${JSON.stringify(id)}`);
  });
});
