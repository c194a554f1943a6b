import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/index.js';
import { startTestApp, type SignedIn, type TestApp } from './support/app-harness.js';
import { FIXTURE_REFERENCE_DATE, standardFixtures } from '../fixtures/index.js';
import { postUpload } from './support/upload-request.js';

const ORG = DEMO_ORGANIZATION_IDS.noCertificate;
const fx = standardFixtures(FIXTURE_REFERENCE_DATE);

let t: TestApp;
let admin: SignedIn;
beforeAll(async () => {
  t = await startTestApp({ env: { UPLOADS_PER_USER_PER_HOUR: '1000', UPLOADS_PER_SUPPORT_USER_PER_HOUR: '1000', UPLOAD_LOCAL_REFUSALS_PER_USER_PER_HOUR: '1000' } });
  admin = await t.signIn('admin');
});
afterAll(async () => {
  await t.close();
});

/** Every certificate code documented in docs/facturapi.md, with words of our message for it. */
const documented: [string, number, string, string][] = [
  ['private_key_password_incorrect', 400, 'la contraseña de la llave privada es incorrecta', 'private key\u2019s password is wrong'],
  ['private_key_certificate_mismatch', 400, 'no corresponde al certificado', 'does not belong to the certificate'],
  ['csd_required', 400, 'no es un CSD', 'is not a CSD'],
  ['certificate_expired', 400, 'ya venció', 'has expired'],
  ['certificate_not_yet_valid', 400, 'todavía no puede usarse', 'cannot be used yet'],
  ['certificate_invalid', 400, 'el certificado no es válido', 'certificate is not valid'],
  ['certificate_files_invalid', 400, 'dañados o incompletos', 'damaged or incomplete'],
  ['certificate_files_required', 400, 'no recibió los archivos', 'did not receive the files'],
  ['certificate_file_required', 400, 'no recibió el certificado', 'did not receive the certificate'],
  ['private_key_file_required', 400, 'no recibió la llave privada', 'did not receive the private key'],
  ['certificate_previous_rfc_mismatch', 400, 'certificado anterior', 'previous certificate'],
  ['certificate_fiel_rfc_mismatch', 400, 'RFC de la e.firma', 'e.firma\u2019s RFC'],
  ['invalid_multipart_form_data', 400, 'no pudo leer el envío', 'could not read the upload'],
  ['multipart_limit_exceeded', 400, 'por su tamaño', 'because of its size'],
  ['payload_too_large', 413, 'por su tamaño', 'because of its size'],
  ['organization_not_found', 404, 'no encuentra esta organización', 'cannot find this organization'],
];

describe('when Facturapi rejects an upload with a documented code, then the person reads what it means, in their language', () => {
  it.each(documented)('%s', async (code, status, spanish, english) => {
    t.emulator.setFault({ kind: 'error', status, code, message: 'Mensaje de Facturapi' }, { times: 2, match: { method: 'PUT' } });
    const es = await postUpload(admin, ORG, fx.validCsd);
    const en = await postUpload(admin, ORG, fx.validCsd, { 'Accept-Language': 'en' });
    expect(es.status).toBe(422);
    expect(es.text.toLowerCase()).toContain(spanish.toLowerCase());
    expect(en.text.replace(/&#39;/g, '\u2019').toLowerCase()).toContain(english.toLowerCase().replace(/'/g, '\u2019'));
    expect(es.text).toMatch(/Referencia de Facturapi: \w+/);
  });
});

describe('when Facturapi answers with a code we do not know, or none', () => {
  it('then its own message is shown with its log id', async () => {
    t.emulator.setFault({ kind: 'error', status: 400, code: 'some_new_rule', message: 'Regla nueva de Facturapi' }, { times: 1, match: { method: 'PUT' } });
    const res = await postUpload(admin, ORG, fx.validCsd);
    expect(res.status).toBe(422);
    expect(res.text).toContain('Facturapi rechazó la solicitud: «Regla nueva de Facturapi».');
    expect(res.text).toMatch(/Referencia de Facturapi: \w+/);
  });

  it('then an old-style body without code still gives a clear message', async () => {
    t.emulator.setFault({ kind: 'error', status: 400, message: 'Algo salió mal en Facturapi' }, { times: 1, match: { method: 'PUT' } });
    const res = await postUpload(admin, ORG, fx.validCsd);
    expect(res.status).toBe(422);
    expect(res.text).toContain('«Algo salió mal en Facturapi»');
  });

  it('then the audit trail keeps Facturapi\u2019s code and log id for support', async () => {
    const { rows } = await t.audit.query({ action: 'certificate.upload', outcome: 'failure', page: 1, pageSize: 100 });
    expect(rows.some((r) => r.detail.facturapiCode === 'certificate_fiel_rfc_mismatch' && typeof r.detail.facturapiLogId === 'string')).toBe(true);
  });
});
