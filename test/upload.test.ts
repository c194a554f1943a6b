import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/index.js';
import { startTestApp, sha256, TEST_USER_KEY, type SignedIn, type TestApp } from './support/app-harness.js';
import { passwordFieldIsEmpty, postUpload } from './support/upload-request.js';
import { certificateNumber, FIXTURE_REFERENCE_DATE, generateSatPair, pooledKeyPair, standardFixtures, toPem, unencryptedPkcs8Der, type StandardFixtures } from '../fixtures/index.js';

const NEW_ORG = DEMO_ORGANIZATION_IDS.noCertificate;
const puts = (t: TestApp) => t.emulator.received.filter((r) => r.method === 'PUT');

let fx: StandardFixtures;
let t: TestApp;
let support: SignedIn;
beforeAll(() => {
  fx = standardFixtures(FIXTURE_REFERENCE_DATE);
});
beforeEach(async () => {
  t = await startTestApp();
  support = await t.signIn('support');
});
afterEach(async () => {
  await t.close();
});

describe('when the CSD is sound', () => {
  it('then Facturapi receives exactly the bytes, password and key, and the person sees the new status', async () => {
    const { cer, key, password } = fx.validCsd;
    const res = await postUpload(support, NEW_ORG, { cer, key, password });

    expect(res.status).toBe(303);
    const received = puts(t);
    expect(received).toHaveLength(1);
    expect(received[0]!.upload?.cer?.sha256).toBe(sha256(cer));
    expect(received[0]!.upload?.key?.sha256).toBe(sha256(key));
    expect(received[0]!.upload?.password?.sha256).toBe(sha256(password));
    expect(received[0]!.authorizationSha256).toBe(sha256(TEST_USER_KEY));

    const page = await support.agent.get(res.headers.location!);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`Facturapi aceptó el certificado ${fx.validCsd.certificateNumber}`);
    expect(page.text).toContain('EPR010101AB1');
    expect(page.text).toContain('13 de enero de 2029'); // valid to (2029-01-14T00:00Z) in Mexico City time
    expect(page.text).not.toContain('Subir el CSD (certificado de sello digital).'); // pending step gone
  });

  it('then a certificate about to expire and a SAT test certificate are pointed out on the result page', async () => {
    const soon = generateSatPair({ keyPair: pooledKeyPair(0), validFrom: new Date('2025-01-01T00:00:00Z'), validTo: new Date(FIXTURE_REFERENCE_DATE.getTime() + 12 * 86_400_000), certificateNumber: certificateNumber(77) });
    const res = await postUpload(support, NEW_ORG, soon);
    expect(res.status).toBe(303);
    expect(res.headers.location).toContain('w=expires_soon%2Csat_test_certificate');
    const page = await support.agent.get(res.headers.location!);
    expect(page.text).toContain('este certificado vence en 12 días');
    expect(page.text).toContain('es un certificado de pruebas del SAT');
  });

  it('then a result URL naming warnings that do not apply shows none', async () => {
    const res = await postUpload(support, NEW_ORG, fx.validCsd);
    const url = res.headers.location!.replace(/&w=[^&]*/, '') + '&w=expires_soon,made_up';
    const page = await support.agent.get(url);
    expect(page.text).toContain('Facturapi aceptó');
    expect(page.text).not.toContain('vence en');
    expect(page.text).not.toContain('es un certificado de pruebas');
  });

  it('then refreshing the result page never uploads again', async () => {
    const res = await postUpload(support, NEW_ORG, fx.validCsd);
    await support.agent.get(res.headers.location!);
    await support.agent.get(res.headers.location!);
    expect(puts(t)).toHaveLength(1);
  });

  it('then PEM files are relayed as the DER they contain', async () => {
    const { cer, key, password } = fx.validCsd;
    const res = await postUpload(support, NEW_ORG, { cer: toPem(cer, 'CERTIFICATE'), key: toPem(key, 'ENCRYPTED PRIVATE KEY'), password, cerName: 'a.pem', keyName: 'b.pem' });
    expect(res.status).toBe(303);
    expect(puts(t)[0]!.upload?.cer?.sha256).toBe(sha256(cer));
    expect(puts(t)[0]!.upload?.key?.sha256).toBe(sha256(key));
  });

  it('then a hand-made result URL for another certificate shows no success', async () => {
    const page = await support.agent.get(`/organizations/${NEW_ORG}?uploaded=30001000000900000099`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('Facturapi aceptó');
  });
});

describe('when the local check finds a problem, then nothing is sent and the message says what to do', () => {
  const cases: [string, () => { cer: Buffer; key: Buffer; password: string }, RegExp][] = [
    ['wrong password', () => ({ ...fx.validCsd, password: '12345678A' }), /La contraseña no abre la llave privada/],
    ['a FIEL', () => fx.fiel, /es tu e\.firma \(FIEL\), no un CSD/],
    ['a mismatched pair', () => fx.mismatched, /no corresponde a este certificado/],
    ['an expired CSD', () => fx.expired, /El certificado venció el/],
    ['a CSD not yet valid', () => fx.notYetValid, /será válido a partir del/],
    ['garbage as .cer', () => ({ ...fx.validCsd, cer: Buffer.from('not a certificate at all') }), /no es un certificado \(\.cer\) válido/],
    ['a truncated .key', () => ({ ...fx.validCsd, key: fx.validCsd.key.subarray(0, 600) }), /no es una llave privada \(\.key\) válida/],
    ['an unencrypted key', () => ({ ...fx.validCsd, key: unencryptedPkcs8Der(fx.validCsd) }), /no está protegida con contraseña/],
  ];
  it.each(cases)('%s', async (_name, build, message) => {
    const res = await postUpload(support, NEW_ORG, build());
    expect(res.status).toBe(422);
    expect(res.text).toMatch(message);
    expect(passwordFieldIsEmpty(res.text)).toBe(true);
    expect(puts(t)).toHaveLength(0);
  });
});

describe('when the form is incomplete or malformed, then the answer is a 4xx form error', () => {
  it('without a .cer', async () => {
    const res = await postUpload(support, NEW_ORG, { key: fx.validCsd.key, password: 'x' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Elige el archivo .cer del CSD.');
  });
  it('without a password', async () => {
    const res = await postUpload(support, NEW_ORG, { cer: fx.validCsd.cer, key: fx.validCsd.key });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Escribe la contraseña de la llave privada.');
  });
  it('with an empty file', async () => {
    const res = await postUpload(support, NEW_ORG, { cer: Buffer.alloc(0), key: fx.validCsd.key, password: 'x' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('El archivo está vacío');
  });
  it('with a file under an unknown field', async () => {
    const res = await support.agent.post(`/organizations/${NEW_ORG}/certificate`).field('_csrf', support.csrf).attach('pfx', Buffer.from('x'), 'a.pfx');
    expect(res.status).toBe(400);
    expect(res.text).toContain('campo inesperado (pfx)');
  });
  it('with an extra text field', async () => {
    const res = await postUpload(support, NEW_ORG, fx.validCsd).field('rfc', 'EPR010101AB1');
    expect(res.status).toBe(400);
    expect(res.text).toContain('El formulario trae un campo inesperado (rfc)');
    expect(puts(t)).toHaveLength(0);
  });
  it('with a file larger than the limit', async () => {
    const res = await postUpload(support, NEW_ORG, { cer: Buffer.alloc(70 * 1024, 1), key: fx.validCsd.key, password: 'x' });
    expect(res.status).toBe(413);
    expect(res.text).toContain('El archivo es demasiado grande');
  });
  it('with a declared body far over the limit, answered before reading it', async () => {
    const res = await support.agent.post(`/organizations/${NEW_ORG}/certificate`).set('Content-Type', 'multipart/form-data; boundary=x').set('Content-Length', String(5 * 1024 * 1024)).send('--x');
    expect(res.status).toBe(413);
  });
  it('with a broken multipart body', async () => {
    const token = `--zzz\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${support.csrf}\r\n`;
    const res = await support.agent.post(`/organizations/${NEW_ORG}/certificate`).set('Content-Type', 'multipart/form-data; boundary=zzz').send(`${token}--zzz\r\nContent-Disposition: form-data; name="cer"; filename="a.cer"\r\n\r\nabc`);
    expect(res.status).toBe(400);
    expect(res.text).toContain('El formulario llegó incompleto o dañado');
  });
  it('with an organization id that is not Facturapi\u2019s', async () => {
    const res = await postUpload(support, '..%2F..%2Fadmin', fx.validCsd);
    expect(res.status).toBe(404);
    expect(puts(t)).toHaveLength(0);
  });
});

describe('when Facturapi refuses or fails', () => {
  it('then a previous-RFC mismatch is refused here with the fix hint, and nothing is sent', async () => {
    const res = await postUpload(support, DEMO_ORGANIZATION_IDS.expiresIn45Days, fx.validCsd);
    expect(res.status).toBe(422);
    expect(res.text).toContain('no coincide con el del certificado instalado');
    expect(res.text).toContain('Un CSD solo puede reemplazarse por otro del mismo RFC');
    expect(res.text).not.toMatch(/Referencia de Facturapi/);
    expect(puts(t)).toHaveLength(0);
  });

  it('then a hang is cut at the deadline with a clear message', async () => {
    await t.close();
    t = await startTestApp({ timeoutMs: 500 });
    support = await t.signIn('support');
    t.emulator.setFault({ kind: 'hang' }, { match: { method: 'PUT' } });
    const res = await postUpload(support, NEW_ORG, fx.validCsd);
    expect(res.status).toBe(504);
    expect(res.text).toContain('Facturapi no respondió a tiempo');
    expect(res.text).toContain('id="upload-submit"');
  });

  it('then a persistent 503 is retried a bounded number of times', async () => {
    t.emulator.setFault({ kind: 'status', status: 503, json: true }, { match: { method: 'PUT' } });
    const res = await postUpload(support, NEW_ORG, fx.validCsd);
    expect(res.status).toBe(503);
    expect(puts(t).length).toBeGreaterThan(1);
    expect(puts(t).length).toBeLessThanOrEqual(3);
  });

  it('then a 429 with a short Retry-After is retried and succeeds', async () => {
    t.emulator.setFault({ kind: 'rate_limit', retryAfterSeconds: 0 }, { times: 1, match: { method: 'PUT' } });
    const res = await postUpload(support, NEW_ORG, fx.validCsd);
    expect(res.status).toBe(303);
  });

  it('then a rejected user key tells the person to contact support and never shows the key', async () => {
    await t.close();
    const badKey = 'sk_user_revoked_key_not_real_98';
    t = await startTestApp({ clientUserKey: badKey });
    support = await t.signIn('support');
    const res = await postUpload(support, NEW_ORG, fx.validCsd);
    expect(res.status).toBe(502);
    expect(res.text).toContain('avisa a soporte');
    expect(res.text).not.toContain(badKey);
    expect(t.logs.text).toContain('FACTURAPI_USER_KEY');
    expect(t.logs.text).not.toContain(badKey);
  });
});

describe('in English', () => {
  it('when the browser prefers English, then messages are in English', async () => {
    const res = await postUpload(support, NEW_ORG, { ...fx.validCsd, password: 'nope' }, { 'Accept-Language': 'en-US,en;q=0.9' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('The password does not open the private key');
  });
});
