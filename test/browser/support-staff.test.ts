/**
 * The support journey in Chromium: search an organization, upload its CSD on the customer's
 * behalf, then find it in the expiry radar and the audit trail. Every page passes axe and is
 * screenshotted; the radar screenshot also goes to the README (README_SCREENSHOTS=1).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../../emulator/index.js';
import { fillUpload, signIn, startBrowserApp, uploadsReceived, type BrowserApp } from './support/browser-app.js';
import { describeBrowser } from './support/browser-suite.js';
import { checkPage, saveReadmeScreenshot } from './support/page-checks.js';

const ORG = DEMO_ORGANIZATION_IDS.noCertificateEither; // Dulces Típicos de Puebla, no CSD yet

describeBrowser('support staff in the browser', () => {
  let b: BrowserApp;
  beforeAll(async () => {
    b = await startBrowserApp();
  });
  afterAll(async () => {
    await b?.close();
  });

  it('when support uploads on behalf of a customer, then the radar and the audit trail show it', async () => {
    const page = await b.newPage({ viewport: { width: 1000, height: 800 } });
    await signIn(page, 'support', '**/organizations');
    await checkPage(page, 'organizations');

    await page.getByLabel('Buscar por nombre, razón social o RFC').fill('Dulces');
    await Promise.all([page.waitForURL('**/organizations?q=Dulces'), page.getByRole('button', { name: 'Buscar' }).click()]);
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('Sin CSD');
    await checkPage(page, 'organizations-search');

    await Promise.all([page.waitForURL(`**/organizations/${ORG}`), rows.first().getByRole('link', { name: 'Abrir' }).click()]);
    const before = uploadsReceived(b.app);
    await fillUpload(page, b.files.validCsd);
    await Promise.all([page.waitForURL(/uploaded=/), page.locator('#upload-submit').click()]);
    expect(uploadsReceived(b.app)).toBe(before + 1);
    expect(await page.locator('#upload-result [data-fact=certificate-number]').textContent()).toBe(b.fixtures.validCsd.certificateNumber);
    expect(await page.locator('#history tbody tr').first().textContent()).toContain('por soporte, a nombre del cliente');
    await checkPage(page, 'organization-support');

    await Promise.all([page.waitForURL('**/radar'), page.getByRole('link', { name: 'Vencimientos' }).click()]);
    expect(await page.locator('.site-nav a[aria-current=page]').textContent()).toBe('Vencimientos');
    const radarRow = page.locator('#radar-table tr', { hasText: 'DULCES TIPICOS DE PUEBLA' });
    expect(await radarRow.getAttribute('data-group')).toBe('later');
    expect(await radarRow.textContent()).toContain('Vigente');
    await checkPage(page, 'radar');
    await saveReadmeScreenshot(page, 'radar');

    await Promise.all([page.waitForURL('**/audit'), page.getByRole('link', { name: 'Bitácora' }).click()]);
    // The trail names the organization (issue 11): its name, not its id.
    const auditRow = page.locator('#audit-table tbody tr', { hasText: 'DULCES TIPICOS DE PUEBLA' }).filter({ hasText: 'Carga de CSD' });
    expect(await auditRow.count()).toBe(1);
    expect(await auditRow.textContent()).toContain('Correcto');
    await checkPage(page, 'audit');

    await page.goto('/people');
    await checkPage(page, 'people');
  });
});
