/**
 * An e.firma upload request in Chromium (issue 12, part 4): support chooses the e.firma in the
 * request form on the organization page; the customer opens the e-mailed link on a phone (375 px),
 * without an account, reads what the e.firma is and what Facturapi uses it for, is refused
 * without the confirmation tick, then ticks it and uploads; the done page names the e.firma, the
 * link is dead afterwards, and support's page shows the e.firma and the request 'uploaded'.
 * Every page passes axe (no serious or critical violations) and has its fields labelled.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_ORGANIZATION_IDS } from '../../emulator/index.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { signIn, startBrowserApp, uploadsReceived, type BrowserApp, type CsdFiles } from './support/browser-app.js';
import { describeBrowser } from './support/browser-suite.js';
import { horizontalOverflow } from './support/layout-checks.js';
import { checkPage } from './support/page-checks.js';

const ORG = DEMO_ORGANIZATION_IDS.noCertificate;
const ES_CER_REQUIRED = 'Elige el archivo .cer de la e.firma.';

async function fillFiel(page: Page, files: CsdFiles): Promise<void> {
  await page.locator('#fiel-cer').setInputFiles(files.cer);
  await page.locator('#fiel-key').setInputFiles(files.key);
  await page.locator('#fiel-password').fill(files.password);
}

describeBrowser('e.firma upload request in the browser', () => {
  let b: BrowserApp;
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
    b = await startBrowserApp({ env: { SMTP_URL: sink.url, MAIL_FROM: 'csd-relay <no-reply@example.test>' } });
  });
  afterAll(async () => {
    await b?.close();
    await sink?.close();
  });

  it('when support asks for the e.firma and the customer answers on a phone, then the e.firma reaches Facturapi and the link is spent', async () => {
    const staff = await b.newPage();
    await signIn(staff, 'support', '**/organizations');
    await staff.goto(`/organizations/${ORG}`);
    await staff.locator('#upload-request-credential').selectOption('fiel');
    await staff.locator('#upload-request-email').fill('cliente@example.test');
    // The link is shown once on the POST's response, then support goes back to the organization.
    await Promise.all([staff.waitForURL(`**/organizations/${ORG}/upload-requests`), staff.locator('#upload-request-submit').click()]);
    expect(await staff.locator('#issued-link').inputValue()).toMatch(/\/upload-requests\/[A-Za-z0-9_-]{43}$/);
    expect(await staff.locator('main').textContent()).toContain('suba la e.firma de');
    await Promise.all([staff.waitForURL((url) => url.pathname === `/organizations/${ORG}`), staff.locator('a.button[href$="#upload-requests"]').click()]);
    const row = staff.locator('#upload-requests tbody tr').first();
    expect(await row.locator('td').nth(1).textContent()).toBe('e.firma');
    expect(await row.locator('[data-status]').getAttribute('data-status')).toBe('sent');

    const [mail] = await sink.waitFor(1);
    expect(mail!.subject).toMatch(/^Sube la e\.firma de /);
    const path = new URL(/(https?:\/\/\S+\/upload-requests\/[A-Za-z0-9_-]{43})/.exec(mail!.text)![1]!).pathname;

    const phone = await b.newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    await phone.goto(path);
    expect(await phone.locator('h1').textContent()).toBe('Subir la e.firma (FIEL)');
    expect(await phone.locator('#fiel-intro').textContent()).toContain('Facturapi la usa solo para la descarga masiva de CFDI');
    expect(await phone.locator('#upload-submit').count()).toBe(0);
    expect(await horizontalOverflow(phone)).toBeLessThanOrEqual(0);
    await checkPage(phone, 'upload-request-fiel-form-375');

    // Nothing chosen: the form's own checks (the CSD form's) say so before anything is sent.
    const before = uploadsReceived(b.app);
    await phone.locator('#fiel-submit').click();
    expect(await phone.locator('#fiel-cer-client-error').textContent()).toBe(ES_CER_REQUIRED);
    expect(await phone.locator('#fiel-password-client-error').isVisible()).toBe(true);
    expect(phone.url()).toContain(path);
    expect(uploadsReceived(b.app)).toBe(before);

    // Without the tick: the server says what is missing, nothing is sent, the link still works.
    await fillFiel(phone, b.files.fiel);
    await Promise.all([phone.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === path), phone.locator('#fiel-submit').click()]);
    expect(await phone.locator('#fiel-errors').textContent()).toContain('Marca la casilla de confirmación');
    expect(uploadsReceived(b.app)).toBe(before);
    expect(await horizontalOverflow(phone)).toBeLessThanOrEqual(0);
    await checkPage(phone, 'upload-request-fiel-unconfirmed-375');

    await fillFiel(phone, b.files.fiel);
    await phone.locator('#fiel-confirm').check();
    await Promise.all([phone.waitForURL('**/upload-requests/done?credential=fiel'), phone.locator('#fiel-submit').click()]);
    expect(uploadsReceived(b.app)).toBe(before + 1);
    expect(await phone.locator('#upload-request-done h1').textContent()).toBe('e.firma recibida');
    await checkPage(phone, 'upload-request-fiel-done-375');

    expect((await phone.goto(path))?.status()).toBe(410);

    await staff.reload();
    expect(await staff.locator('#upload-requests [data-status]').first().getAttribute('data-status')).toBe('uploaded');
    expect(await staff.locator('[data-fiel=certificate-number]').textContent()).toBe(b.fixtures.fiel.certificateNumber);
  });
});
