/**
 * Progressive enhancement: with JavaScript turned off the upload still works end to end, the
 * server's messages still reach the person, and nothing the script adds (drop hint) shows.
 * (axe runs on these pages in the JavaScript-on journeys: it needs page timers.)
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_ORGANIZATION_IDS } from '../../emulator/index.js';
import { fillUpload, signIn, startBrowserApp, uploadsReceived, type BrowserApp } from './support/browser-app.js';
import { describeBrowser } from './support/browser-suite.js';
import { checkPage } from './support/page-checks.js';

const OWN_ORG_PATH = `/organizations/${DEMO_ORGANIZATION_IDS.noCertificate}`;

describeBrowser('the upload with JavaScript turned off', () => {
  let b: BrowserApp;
  let page: Page;
  beforeAll(async () => {
    b = await startBrowserApp();
    page = await b.newPage({ javaScriptEnabled: false });
    await signIn(page, 'admin', `**${OWN_ORG_PATH}`);
  });
  afterAll(async () => {
    await b?.close();
  });

  it('when a wrong password is sent, then the server answers with the message next to the field', async () => {
    expect(await page.locator('.drop-hint:visible').count()).toBe(0);
    await fillUpload(page, { ...b.files.validCsd, password: 'no-es-esta' });
    await Promise.all([page.waitForURL(`**${OWN_ORG_PATH}/certificate`), page.locator('#upload-submit').click()]);
    expect(await page.locator('#password-error').textContent()).toMatch(/La contraseña no abre la llave privada/);
    await checkPage(page, 'upload-error-no-js', { axe: false });
  });

  it('when a valid CSD is sent, then Facturapi gets it and the result shows the certificate', async () => {
    await page.goto(OWN_ORG_PATH);
    const before = uploadsReceived(b.app);
    await fillUpload(page, b.files.validCsd);
    await Promise.all([page.waitForURL(/uploaded=/), page.locator('#upload-submit').click()]);
    expect(uploadsReceived(b.app)).toBe(before + 1);
    expect(await page.locator('#upload-result [data-fact=certificate-number]').textContent()).toBe(b.fixtures.validCsd.certificateNumber);
    await checkPage(page, 'upload-success-no-js', { axe: false });
  });
});
