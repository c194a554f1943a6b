/**
 * Issue 10, points 6, 8 and 9 in Chromium: the certificate status agrees with itself (badges count
 * down within 90 days; an expired CSD is a pending step, not "ready to invoice"); the file line
 * under a chosen file uses the catalogue's plural ("1 byte", "2 bytes"); an upload over the hourly
 * limit stays on the organization page with the message and the form ready. Every page passes axe.
 */
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../../emulator/index.js';
import { fillUpload, signIn, startBrowserApp, uploadsReceived, type BrowserApp } from './support/browser-app.js';
import { describeBrowser } from './support/browser-suite.js';
import { checkPage } from './support/page-checks.js';

const OWN_ORG_PATH = `/organizations/${DEMO_ORGANIZATION_IDS.noCertificate}`;

describeBrowser('certificate status, plurals and upload limits in the browser', () => {
  let b: BrowserApp;
  let dir: string;
  beforeAll(async () => {
    b = await startBrowserApp({ env: { UPLOADS_PER_USER_PER_HOUR: '1' } });
    dir = mkdtempSync(path.join(os.tmpdir(), 'csd-relay-plurals-'));
  });
  afterAll(async () => {
    await b?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('when support opens the list and an expired organization, then the badges count down and nothing says "ready"', async () => {
    const page = await b.newPage();
    await signIn(page, 'support', '**/organizations');
    const row = (name: string) => page.locator('tr', { hasText: name });
    expect(await row('ABARROTES GOMEZ & HIJOS').locator('.badge').textContent()).toBe('Vence en 45 días');
    expect(await row('CONSULTORIA QUETZAL').locator('.badge').textContent()).toBe('Vence en 80 días');
    expect(await row('ESCUELA KEMPER URGATE').locator('.badge').textContent()).toBe('Vence en 10 días');
    await checkPage(page, 'organizations-countdown');
    await page.goto(`/organizations/${DEMO_ORGANIZATION_IDS.expired}`);
    const status = page.locator('#certificate-status');
    expect(await status.locator('.badge').textContent()).toBe('Vencido');
    expect(await status.textContent()).not.toContain('lista para facturar');
    expect(await status.locator('ul.steps li').first().textContent()).toMatch(/^Subir un CSD vigente: el actual venció el \d+ de \w+ de 202\d\.$/);
    await checkPage(page, 'organization-expired-steps');
  });

  it('when a file is chosen, then its line says "1 byte" or "N bytes" by the catalogue’s plural, in both languages', async () => {
    const one = path.join(dir, 'uno.cer');
    const two = path.join(dir, 'dos.cer');
    writeFileSync(one, Buffer.from([0x30]));
    writeFileSync(two, Buffer.from([0x30, 0x00]));
    for (const [locale, lang, oneText, twoText] of [['es-MX', 'es', 'uno.cer (1 byte)', 'dos.cer (2 bytes)'], ['en-US', 'en', 'uno.cer (1 byte)', 'dos.cer (2 bytes)']] as const) {
      const page = await b.newPage({ locale });
      await signIn(page, 'admin', `**${OWN_ORG_PATH}`);
      if (lang === 'en') await page.goto(`${OWN_ORG_PATH}?lang=en`);
      await page.locator('#cer').setInputFiles(one);
      await expect.poll(() => page.locator('#cer-info').textContent()).toBe(oneText);
      await page.locator('#cer').setInputFiles(two);
      await expect.poll(() => page.locator('#cer-info').textContent()).toBe(twoText);
    }
  });

  it('when an account admin goes over the hourly sends, then the page stays, names the limit and when it resets, and the form is ready', async () => {
    const page = await b.newPage();
    await signIn(page, 'admin', `**${OWN_ORG_PATH}`);
    await fillUpload(page, b.files.validCsd);
    await Promise.all([page.waitForURL(/uploaded=/), page.locator('#upload-submit').click()]);
    const before = uploadsReceived(b.app);
    await fillUpload(page, b.files.validCsd);
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.locator('#upload-submit').click()]);
    expect(response.status()).toBe(429);
    await page.waitForLoadState('load');
    expect(uploadsReceived(b.app)).toBe(before);
    expect(await page.locator('h1').textContent()).toBe('CAFE ALTURA CHIAPANECA');
    expect(await page.locator('#upload-errors').textContent()).toMatch(/Llegaste al límite de 1 envío a Facturapi por hora de los administradores de cuenta\. Podrás enviar de nuevo a las .+ \(en 60 minutos\)\./);
    expect(await page.locator('#upload-submit').isEnabled()).toBe(true);
    expect(await page.locator('#password').inputValue()).toBe('');
    await checkPage(page, 'organization-upload-limit');
  });
});
