/**
 * Issue 9, item 10: opening a one-time link must not copy the link's token into the session row.
 * The README promises that a backup of the data folder holds no usable link: the invitations
 * table keeps only sha256(token), and the session of the person who opened the link keeps only
 * the link's id. Checked through the real app with the database in a file, row by row and over
 * the file's raw bytes (main file and write-ahead log).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { csrfFrom, DEMO_ORGANIZATION_IDS, signInAgent, startTestApp, type TestApp } from './support/app-harness.js';
import { databaseBytes, writtenForms } from './support/stored-secrets.js';

let t: TestApp | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});


describe('when someone opens a one-time link', () => {
  it('then the sessions table, and the whole database file, hold no form of the token, and the link still works', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csd-relay-link-storage-'));
    t = await startTestApp({ dataDir });
    const support = await t.signIn('support');
    const invited = await support.agent.post('/people/invite').type('form').send({ _csrf: support.csrf, email: 'guardada@example.test', name: 'Guardada', organizationId: DEMO_ORGANIZATION_IDS.validForYears });
    const link = /value="(http[^"]+\/account\/set-password\/([^"]+))"/.exec(invited.text);
    expect(link).not.toBeNull();
    const token = link![2]!;

    const visitor = request.agent(t.url);
    const opened = await visitor.get(`/account/set-password/${token}`);
    expect(opened.status).toBe(303);
    const form = await visitor.get('/account/set-password');
    expect(form.status).toBe(200);

    const rows = await t.database.db.selectFrom('sessions').selectAll().execute();
    const pending = rows.filter((row) => row.user_id === null).map((row) => row.data);
    const sessionText = JSON.stringify(rows);
    const sessionForms = [...writtenForms(token), { name: 'its sha256', bytes: Buffer.from(createHash('sha256').update(token).digest('hex')) }];
    const inSessions = sessionForms.filter((f) => sessionText.includes(f.bytes.toString('utf8')) || (f.name === 'its bytes' && Buffer.from(sessionText).includes(f.bytes))).map((f) => f.name);
    const inFile = writtenForms(token).filter((f) => databaseBytes(dataDir!).includes(f.bytes)).map((f) => f.name);
    console.log(`after opening the link: sessions hold [${inSessions.join(', ')}]; database file holds [${inFile.join(', ')}]; anonymous session data: ${pending.join(' | ') || '(none)'}`);
    expect(inSessions).toEqual([]);
    expect(inFile).toEqual([]);

    const done = await visitor.post('/account/set-password').type('form').send({ _csrf: csrfFrom(form.text), password: 'guardada-pass-phrase-1', confirm: 'guardada-pass-phrase-1' });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/login');
    await signInAgent(t.url, 'guardada@example.test', 'guardada-pass-phrase-1');
    expect(writtenForms(token).filter((f) => databaseBytes(dataDir!).includes(f.bytes)).map((f) => f.name)).toEqual([]);
  });
});
