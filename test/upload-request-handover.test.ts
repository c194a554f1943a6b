/**
 * Issue 12, part 4: the hand-over of an upload link. When support creates an upload request the
 * link is shown to them once, on the POST's own response (no redirect, no-store), with words
 * saying whether it was e-mailed or only kept in the outbox / not delivered: without SMTP_URL
 * (demo, development) or when the e-mail fails, that page is the only way the link can reach the
 * customer. Through HTTP against the real app, the database in a file; the token is on that one
 * page and in the e-mail sent, nowhere else: not in the logs, the audit trail, the sessions
 * table, the stored e-mails, the outbox page, the organization page, a URL or the database file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/index.js';
import { startTestApp, type SignedIn, type TestApp } from './support/app-harness.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';
import { databaseBytes, writtenForms } from './support/stored-secrets.js';

const ORG = DEMO_ORGANIZATION_IDS.noCertificate;
const PUBLIC_URL = 'http://csd-relay.example.test';
const SHOWN = /id="issued-link"[^>]*value="(http:\/\/csd-relay\.example\.test\/upload-requests\/([A-Za-z0-9_-]{43}))"/;

let t: TestApp | undefined;
let sink: SmtpSink | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await t?.close();
  await sink?.close();
  t = undefined;
  sink = undefined;
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

async function start(env: Record<string, string> = {}): Promise<{ app: TestApp; support: SignedIn }> {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csd-relay-handover-'));
  t = await startTestApp({ dataDir, env: { PUBLIC_URL, ...env } });
  return { app: t, support: await t.signIn('support') };
}

const create = (support: SignedIn, email = 'cliente@example.test') =>
  support.agent.post(`/organizations/${ORG}/upload-requests`).type('form').send({ _csrf: support.csrf, email, credential: 'csd', language: 'es' });

/** Every place the token must not be: logs, tables (trail, sessions, e-mails, requests), the outbox and organization pages, the database file. */
async function whereIsToken(app: TestApp, support: SignedIn, token: string): Promise<string[]> {
  const db = app.database.db;
  const places: Record<string, string> = {
    logs: app.logs.text,
    audit: JSON.stringify(await db.selectFrom('audit_events').selectAll().execute()),
    sessions: JSON.stringify(await db.selectFrom('sessions').selectAll().execute()),
    mail_messages: JSON.stringify(await db.selectFrom('mail_messages').selectAll().execute()),
    upload_requests: JSON.stringify(await db.selectFrom('upload_requests').selectAll().execute()),
    'outbox page': (await support.agent.get('/outbox')).text,
    'organization page': (await support.agent.get(`/organizations/${ORG}`)).text,
  };
  const found = Object.entries(places).filter(([, text]) => text.includes(token)).map(([name]) => name);
  const inFile = writtenForms(token).filter((f) => databaseBytes(dataDir!).includes(f.bytes)).map((f) => `database file (${f.name})`);
  return [...found, ...inFile];
}

describe('when support creates an upload request without SMTP_URL (demo, development)', () => {
  it('then the POST\'s response shows the link once, says it stayed in the outbox without the link, and the link opens the upload form; the token is nowhere else', async () => {
    const { app, support } = await start();
    const res = await create(support);
    console.log(`without SMTP_URL: POST -> ${res.status}, Location ${res.headers.location ?? '(none)'}, Cache-Control ${res.headers['cache-control']}`);
    expect(res.status).toBe(200);
    expect(res.headers.location).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
    const shown = SHOWN.exec(res.text);
    expect(shown).not.toBeNull();
    const [, link, token] = shown as unknown as [string, string, string];
    expect(res.text).toContain('Solicitud de carga creada');
    expect(res.text).toContain('No hay servidor de correo configurado (SMTP_URL): el correo quedó en la bandeja de salida, sin el enlace. Envíale este enlace tú.');
    expect(res.text).toContain('id="copy-link"');
    expect(res.text).toContain(`href="/organizations/${ORG}#upload-requests"`);
    // Once: the token appears in the page only in the link box.
    expect(res.text.split(token).length - 1).toBe(1);

    const where = await whereIsToken(app, support, token);
    console.log(`token found in: [${where.join(', ')}]`);
    expect(where).toEqual([]);
    // The organization page lists the request (support reads its status there), without the link.
    const org = await support.agent.get(`/organizations/${ORG}`);
    expect(org.text).toMatch(/data-status="sent">Enviada/);

    const opened = await request(app.url).get(new URL(link).pathname);
    expect(opened.status).toBe(200);
    expect(opened.text).toContain('Subir el certificado de sello digital');
  });
});

describe('when SMTP_URL is set and the e-mail goes out', () => {
  it('then the page says it was e-mailed to the address, and shows the same link the e-mail carries', async () => {
    sink = await startSmtpSink();
    const { app, support } = await start({ SMTP_URL: sink.url, MAIL_FROM: 'csd-relay <no-reply@example.test>' });
    const res = await create(support);
    expect(res.status).toBe(200);
    expect(res.text).toContain('También se envió por correo a cliente@example.test.');
    const [, link, token] = SHOWN.exec(res.text) as unknown as [string, string, string];
    const [mail] = await sink.waitFor(1);
    expect(mail!.text).toContain(link);
    expect(await whereIsToken(app, support, token)).toEqual([]);
  });
});

describe('when the SMTP server refuses the e-mail', () => {
  it('then the page says it was not delivered and shows the link, which works', async () => {
    sink = await startSmtpSink();
    sink.reject = true;
    const { app, support } = await start({ SMTP_URL: sink.url, MAIL_FROM: 'csd-relay <no-reply@example.test>' });
    const res = await create(support);
    expect(res.status).toBe(200);
    expect(res.text).toContain('No se pudo enviar el correo a cliente@example.test');
    expect(res.text).toContain('Envíale este enlace tú.');
    const [, link, token] = SHOWN.exec(res.text) as unknown as [string, string, string];
    expect(await whereIsToken(app, support, token)).toEqual([]);
    expect((await request(app.url).get(new URL(link).pathname)).status).toBe(200);
  });
});
