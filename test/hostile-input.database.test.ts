/**
 * Hostile corpus, the database (issue 13): text PostgreSQL refuses where SQLite stores it. A NUL
 * (U+0000) in any form field reaches a text parameter, which PostgreSQL rejects with an error; it
 * must end as the form's usual 4xx (or a wrong login), never a 500. Runs on both databases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/demo-data.js';
import { httpRequest, rawSignIn, type RawSession } from '../tools/raw-http.js';
import { startTestApp, type TestApp } from './support/app-harness.js';
import { TEST_USERS } from './support/users.js';

let t: TestApp;
let support: RawSession;
beforeAll(async () => {
  t = await startTestApp();
  support = await rawSignIn(t.url, TEST_USERS.support.email, TEST_USERS.support.password);
});
afterAll(async () => t?.close());

const post = (path: string, fields: Record<string, string>, cookie = support.cookie) => {
  const body = new URLSearchParams(fields).toString();
  return httpRequest(`${t.url}${path}`, { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) }, body });
};

describe(`when form fields carry NUL characters (${process.env['CSD_TEST_DATABASE'] === 'postgres' ? 'PostgreSQL' : 'SQLite'})`, () => {
  it('then an invitation with a NUL in the name or the e-mail is refused with a 4xx, and nothing is stored', async () => {
    const before = await t.database.db.selectFrom('users').select('id').execute();
    for (const fields of [
      { name: 'Invi\u0000tada', email: 'nul-name@example.test' },
      { name: 'Invitada', email: 'nul\u0000@example.test' },
    ]) {
      const res = await post('/people/invite', { _csrf: support.csrf, organizationId: DEMO_ORGANIZATION_IDS.validForYears, ...fields });
      expect({ fields, status: res.status }).toEqual({ fields, status: expect.toSatisfy((s: number) => s >= 400 && s < 500) });
    }
    expect(await t.database.db.selectFrom('users').select('id').execute()).toHaveLength(before.length);
  });

  it('then a login with a NUL in the e-mail or the password is a wrong login', async () => {
    for (const [email, password] of [[`${TEST_USERS.admin.email}\u0000`, TEST_USERS.admin.password], [TEST_USERS.admin.email, `${TEST_USERS.admin.password}\u0000`]] as const) {
      const page = await httpRequest(`${t.url}/login`, {});
      const cookie = (page.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const res = await post('/login', { _csrf: csrf, email, password }, cookie);
      expect(res.status).toBe(401);
    }
  });

  it('then the audit page filtered by an e-mail or action with a NUL answers, never a 500', async () => {
    for (const query of ['actorEmail=a%00b%40example.test', 'action=login.failure%00', 'organizationId=65a1c0de00000000000000%00', 'from=2026-01-01%00']) {
      const res = await httpRequest(`${t.url}/audit?${query}`, { headers: { Cookie: support.cookie } });
      expect({ query, status: res.status }).toEqual({ query, status: expect.toSatisfy((s: number) => s < 500) });
    }
  });

  it('then the people page still works afterwards', async () => {
    expect((await httpRequest(`${t.url}/people`, { headers: { Cookie: support.cookie } })).status).toBe(200);
  });
});
