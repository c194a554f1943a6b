/**
 * The e.firma (FIEL) upload in Chromium at 1280 px: the admin reads what the e.firma is for,
 * tries without the confirmation tick (refused by the server, no JavaScript needed), then ticks
 * it and uploads; the page shows the e.firma's number and validity. Every page passes axe.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_ORGANIZATION_IDS } from '../../emulator/index.js';
import { signIn, startBrowserApp, uploadsReceived, type BrowserApp, type CsdFiles } from './support/browser-app.js';
import { describeBrowser } from './support/browser-suite.js';
import { checkPage } from './support/page-checks.js';

const OWN_ORG = DEMO_ORGANIZATION_IDS.noCertificate;
const OWN_ORG_PATH = `/organizations/${OWN_ORG}`;

async function fillFiel(page: Page, files: CsdFiles): Promise<void> {
  await page.locator('#fiel-cer').setInputFiles(files.cer);
  await page.locator('#fiel-key').setInputFiles(files.key);
  await page.locator('#fiel-password').fill(files.password);
}

describeBrowser('the e.firma upload in the browser', () => {
  let b: BrowserApp;
  beforeAll(async () => {
    b = await startBrowserApp();
  });
  afterAll(async () => {
    await b?.close();
  });

  it('when the admin uploads the e.firma through its form at 1280 px, then it needs the tick and the page shows the e.firma', async () => {
    const page = await b.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'admin', `**${OWN_ORG_PATH}`);
    const panel = page.locator('#fiel');
    expect(await panel.textContent()).toContain('Facturapi la usa solo para la descarga masiva de CFDI');
    expect(await page.locator('#fiel-none').isVisible()).toBe(true);
    await checkPage(page, 'fiel-form');

    const before = uploadsReceived(b.app);
    await fillFiel(page, b.files.fiel);
    await Promise.all([page.waitForURL(`**${OWN_ORG_PATH}/fiel`), page.locator('#fiel-submit').click()]);
    expect(await page.locator('#fiel-errors').textContent()).toContain('Marca la casilla de confirmación');
    expect(uploadsReceived(b.app)).toBe(before);
    await checkPage(page, 'fiel-unconfirmed');

    await fillFiel(page, b.files.fiel);
    await page.locator('#fiel-confirm').check();
    await Promise.all([page.waitForURL(/\?fiel=\d{20}#fiel$/), page.locator('#fiel-submit').click()]);
    expect(uploadsReceived(b.app)).toBe(before + 1);
    expect(await page.locator('#fiel-result').textContent()).toContain(`Facturapi aceptó la e.firma ${b.fixtures.fiel.certificateNumber}`);
    expect(await page.locator('[data-fiel=certificate-number]').textContent()).toBe(b.fixtures.fiel.certificateNumber);
    expect(await page.locator('[data-fiel=valid-to]').textContent()).toMatch(/^\d{1,2} de [a-z]+ de \d{4} \([\d,]+ días\)$/);
    await checkPage(page, 'fiel-success');
  });
});
