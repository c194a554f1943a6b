/**
 * "CSRF tokens never appear in stored sessions" (README, secrets). csrf-sync kept each signed-in
 * session's token in the session data, so every sessions row (and a backup of the data folder)
 * held a working token. The signed-in token is now derived from the session instead
 * (HMAC of the session id under a key of its own), so nothing CSRF-related is stored, and a
 * token works only with the session it was made for.
 *
 * Checked through the real app with the database in a file: sign in, load every page with a
 * form, submit some; then every sessions row and the raw bytes of the database (main file and
 * write-ahead log) are searched for the token in every form it could be written down in.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom, DEMO_ORGANIZATION_IDS, startTestApp, type SignedIn, type TestApp } from './support/app-harness.js';
import { databaseBytes, writtenForms } from './support/stored-secrets.js';

const ORG = DEMO_ORGANIZATION_IDS.expiresIn45Days;
const PAGES_WITH_FORMS = ['/organizations', '/people', `/organizations/${ORG}`, `/organizations/${ORG}/certificate/remove`, '/radar', '/audit'];


let t: TestApp;
let dataDir: string;
let support: SignedIn;
let admin: SignedIn;
let shown: string[];
beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csd-relay-csrf-storage-'));
  t = await startTestApp({ dataDir });
  support = await t.signIn('support');
  admin = await t.signIn('admin');
  shown = [];
  for (const page of PAGES_WITH_FORMS) {
    const res = await support.agent.get(page);
    expect(res.status, page).toBe(200);
    shown.push(...[...res.text.matchAll(/name="_csrf" value="([^"]+)"/g)].map((m) => m[1]!));
  }
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('when a signed-in person loads pages with forms and submits them', () => {
  it('then the forms carry one token, and it works', async () => {
    expect(shown.length).toBeGreaterThan(PAGES_WITH_FORMS.length);
    expect(new Set(shown)).toEqual(new Set([support.csrf]));
    const invite = await support.agent.post('/people/invite').type('form').send({ _csrf: support.csrf, email: 'sin-token@example.test', name: 'Sin Token', organizationId: ORG });
    expect(invite.status).toBe(200);
    const refresh = await support.agent.post('/radar/refresh').type('form').send({ _csrf: support.csrf });
    expect(refresh.status).toBe(303);
  });

  it('then no sessions row, and no byte of the database file, holds the token in any form', async () => {
    // The submissions above ran first (vitest runs a file's tests in order).
    const rows = await t.database.db.selectFrom('sessions').selectAll().execute();
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const sessionText = JSON.stringify(rows);
    const tokens = [support.csrf, admin.csrf];
    const inSessions = tokens.flatMap((token) => writtenForms(token).filter((f) => sessionText.includes(f.bytes.toString('utf8')) || Buffer.from(sessionText).includes(f.bytes)).map((f) => f.name));
    const inFile = tokens.flatMap((token) => writtenForms(token).filter((f) => databaseBytes(dataDir).includes(f.bytes)).map((f) => f.name));
    const csrfKeys = rows.flatMap((row) => Object.keys(JSON.parse(row.data) as Record<string, unknown>)).filter((k) => /csrf/i.test(k));
    console.log(`sessions rows: ${rows.length}; session data keys: [${[...new Set(rows.flatMap((r) => Object.keys(JSON.parse(r.data) as object)))].join(', ')}]; token in sessions: [${inSessions.join(', ')}]; token in database file: [${inFile.join(', ')}]`);
    expect(csrfKeys).toEqual([]);
    expect(inSessions).toEqual([]);
    expect(inFile).toEqual([]);
  });

  it('then a token from another session is refused (403), and so is the anonymous form token', async () => {
    expect(admin.csrf).not.toBe(support.csrf);
    const crossed = await support.agent.post('/people/invite').type('form').send({ _csrf: admin.csrf, email: 'cruzado@example.test', name: 'Cruzado', organizationId: ORG });
    expect(crossed.status).toBe(403);
    // Signed in, /login redirects home: the anonymous form token comes from a visitor's login page.
    const loginPageToken = csrfFrom((await request(t.url).get('/login')).text);
    const anonymous = await support.agent.post('/radar/refresh').type('form').send({ _csrf: loginPageToken });
    expect(anonymous.status).toBe(403);
  });

  it('then signing in again makes a new token, and the old one stops working', async () => {
    const again = await t.signIn('support');
    expect(again.csrf).not.toBe(support.csrf);
    expect((await again.agent.post('/radar/refresh').type('form').send({ _csrf: support.csrf })).status).toBe(403);
    expect((await again.agent.post('/radar/refresh').type('form').send({ _csrf: again.csrf })).status).toBe(303);
    // A token is useless without its session's cookie.
    expect((await request(t.url).post('/radar/refresh').type('form').send({ _csrf: again.csrf })).status).not.toBe(303);
  });
});
