/**
 * Issue 10, point 9: upload limits that fit the roles, through HTTP. Sends to Facturapi are
 * counted per person with a higher budget for support staff; local refusals (a mistyped password)
 * have their own bounded counter, so fixing a typo does not use up the sends while password
 * guessing stays bounded. A limited upload stays on the organization page, says which limit it
 * is and when it resets, keeps the form ready, and sends a Retry-After. Small limits keep it fast.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/index.js';
import { csrfFrom, startTestApp, type SignedIn, type TestApp } from './support/app-harness.js';
import { passwordFieldIsEmpty, postUpload } from './support/upload-request.js';
import { certificateNumber, FIXTURE_REFERENCE_DATE, generateSatPair, pooledKeyPair } from '../fixtures/index.js';

const ADMIN_ORG = DEMO_ORGANIZATION_IDS.noCertificate; // the admin test user's organization
const DAY = 86_400_000;
const HOUR = 3_600_000;

/** A new certificate each time, each lasting a day longer (so none is "already installed" or "older"). */
let serial = 0;
function nextPair() {
  serial += 1;
  return generateSatPair({
    keyPair: pooledKeyPair(serial % 3),
    certificateNumber: certificateNumber(400 + serial),
    validFrom: new Date(FIXTURE_REFERENCE_DATE.getTime() - DAY),
    validTo: new Date(FIXTURE_REFERENCE_DATE.getTime() + (1000 + serial) * DAY),
  });
}
const sends = (t: TestApp) => t.emulator.received.filter((r) => r.method === 'PUT').length;
const send = (who: SignedIn, org: string = ADMIN_ORG, headers: Record<string, string> = {}) => postUpload(who, org, nextPair(), headers);
const typo = (who: SignedIn, org: string = ADMIN_ORG, headers: Record<string, string> = {}) => postUpload(who, org, { ...nextPair(), password: 'mistyped-password' }, headers);

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp({ env: { UPLOADS_PER_USER_PER_HOUR: '3', UPLOADS_PER_SUPPORT_USER_PER_HOUR: '5', UPLOAD_LOCAL_REFUSALS_PER_USER_PER_HOUR: '4' } });
});
afterEach(async () => {
  await t.close();
});

describe('when a person mistypes the password a few times and then gets it right', () => {
  it('then the typos do not use up the sends: all three sends of the hour still go through', async () => {
    const admin = await t.signIn('admin');
    for (let i = 0; i < 3; i++) expect((await typo(admin)).status).toBe(422);
    for (let i = 0; i < 3; i++) expect((await send(admin)).status).toBe(303);
    expect(sends(t)).toBe(3);
  });
});

describe('when an account admin has sent their hourly budget', () => {
  it('then the next upload stays on the organization page with the limit, when it resets, the form ready and Retry-After (Spanish)', async () => {
    const admin = await t.signIn('admin');
    for (let i = 0; i < 3; i++) expect((await send(admin)).status).toBe(303);
    t.clock.advance(20 * 60_000);
    const res = await send(admin);
    expect(res.status).toBe(429);
    expect(sends(t)).toBe(3);
    expect(Number(res.headers['retry-after'])).toBe(40 * 60);
    const text = res.text.replace(/\s+/g, ' ');
    expect(text).toContain('<h1>CAFE ALTURA CHIAPANECA</h1>');
    // 14 Jan 2026 18:00 in Mexico City + 1 h: the window opened by the first send ends at 7:00 p.m.
    expect(text).toMatch(/Llegaste al límite de 3 envíos a Facturapi por hora de los administradores de cuenta\. Podrás enviar de nuevo a las 7:00 p\.\s?m\. \(en 40 minutos\)\./);
    expect(text).not.toContain('Demasiados intentos');
    expect(res.text).toContain('id="upload-submit"');
    expect(csrfFrom(res.text)).toBe(admin.csrf);
    expect(passwordFieldIsEmpty(res.text)).toBe(true);
  });

  it('then the same in English, and once the window ends a send goes through again', async () => {
    const admin = await t.signIn('admin');
    for (let i = 0; i < 3; i++) await send(admin);
    const res = await send(admin, ADMIN_ORG, { 'Accept-Language': 'en' });
    expect(res.status).toBe(429);
    expect(res.text.replace(/\s+/g, ' ')).toMatch(/You have reached the limit of 3 uploads sent to Facturapi per hour for account admins\. You can send again at 7:00\sPM \(in 60 minutes\)\./);
    t.clock.advance(HOUR);
    const again = await t.signIn('admin'); // a fresh session: the first one has been idle past its timeout
    expect((await send(again)).status).toBe(303);
    expect(sends(t)).toBe(4);
  });
});

describe('when support staff upload for many customers', () => {
  it('then they have their own, higher limit, named as support staff’s', async () => {
    const support = await t.signIn('support');
    const orgs: string[] = [DEMO_ORGANIZATION_IDS.noCertificate, DEMO_ORGANIZATION_IDS.noCertificateEither];
    for (let i = 0; i < 5; i++) expect((await send(support, orgs[i % 2])).status).toBe(303);
    const res = await send(support, orgs[1]);
    expect(res.status).toBe(429);
    expect(res.text).toContain('Llegaste al límite de 5 envíos a Facturapi por hora del personal de soporte.');
    expect(res.text).toContain('<h1>DULCES TIPICOS DE PUEBLA</h1>');
    expect(sends(t)).toBe(5);
  });
});

describe('when someone keeps guessing the password', () => {
  it('then local refusals are bounded on their own counter, with their own message (Spanish and English)', async () => {
    const admin = await t.signIn('admin');
    for (let i = 0; i < 4; i++) expect((await typo(admin)).status).toBe(422);
    const res = await typo(admin);
    expect(res.status).toBe(429);
    expect(res.text).toContain('Llegaste al límite de 4 intentos rechazados aquí por hora (contraseña equivocada, archivos que no corresponden…)');
    expect(res.text).toContain('id="upload-submit"');
    // Even the right password waits: otherwise guessing would only be slowed by a correct guess.
    const right = await send(admin, ADMIN_ORG, { 'Accept-Language': 'en' });
    expect(right.status).toBe(429);
    expect(right.text).toContain('You have reached the limit of 4 attempts refused here per hour (wrong password, files that do not match…)');
    expect(sends(t)).toBe(0);
  });
});
