/**
 * Upload requests in Chromium (issue 12, part 4): support sends one from the organization page;
 * the customer opens the e-mailed link on a phone (375 px), without an account, and uploads the
 * CSD; the done page shows, the link is dead afterwards, and the organization page says
 * 'uploaded'. Every page passes axe (no serious or critical violations) and has its fields labelled.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../../emulator/index.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { fillUpload, signIn, startBrowserApp, uploadsReceived, type BrowserApp } from './support/browser-app.js';
import { describeBrowser } from './support/browser-suite.js';
import { horizontalOverflow } from './support/layout-checks.js';
import { checkPage } from './support/page-checks.js';

const ORG = DEMO_ORGANIZATION_IDS.noCertificate;

describeBrowser('upload request in the browser', () => {
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

  it('when the customer opens the e-mailed link on a phone and uploads, then the CSD reaches Facturapi and the link is spent', async () => {
    const staff = await b.newPage();
    await signIn(staff, 'support', '**/organizations');
    await staff.goto(`/organizations/${ORG}`);
    await staff.locator('#upload-request-email').fill('cliente@example.test');
    // The link is shown once on the POST's response (copy button), then support goes back to the organization.
    await Promise.all([staff.waitForURL(`**/organizations/${ORG}/upload-requests`), staff.locator('#upload-request-submit').click()]);
    expect(await staff.locator('#issued-link').inputValue()).toMatch(/\/upload-requests\/[A-Za-z0-9_-]{43}$/);
    await checkPage(staff, 'upload-request-link-issued');
    await Promise.all([staff.waitForURL((url) => url.pathname === `/organizations/${ORG}`), staff.locator('a.button[href$="#upload-requests"]').click()]);
    expect(await staff.locator('#upload-requests [data-status]').first().getAttribute('data-status')).toBe('sent');
    await checkPage(staff, 'upload-request-sent');

    const [mail] = await sink.waitFor(1);
    const link = /(https?:\/\/\S+\/upload-requests\/[A-Za-z0-9_-]{43})/.exec(mail!.text)![1]!;
    const path = new URL(link).pathname;

    const phone = await b.newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    await phone.goto(path);
    expect(await phone.locator('h1').textContent()).toBe('Subir el certificado de sello digital');
    expect(await horizontalOverflow(phone)).toBeLessThanOrEqual(0);
    await checkPage(phone, 'upload-request-form-375');

    const before = uploadsReceived(b.app);
    await fillUpload(phone, b.files.validCsd);
    await Promise.all([phone.waitForURL('**/upload-requests/done'), phone.locator('#upload-submit').click()]);
    expect(uploadsReceived(b.app)).toBe(before + 1);
    expect(await phone.locator('#upload-request-done h1').textContent()).toBe('Certificado recibido');
    await checkPage(phone, 'upload-request-done-375');

    const again = await phone.goto(path);
    expect(again?.status()).toBe(410);
    await checkPage(phone, 'upload-request-dead-375');

    await staff.reload();
    expect(await staff.locator('#upload-requests [data-status]').first().getAttribute('data-status')).toBe('uploaded');
  });
});
