/**
 * The account admin's journey in Chromium: sign in, upload a valid CSD with the keyboard alone,
 * see the result; the common mistakes (wrong password, FIEL, mismatched pair, expired) and the
 * client-side checks; another organization's URL; language switch; logout. Every page visited
 * passes axe (no serious or critical violations), has every field labelled, and is screenshotted.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_ORGANIZATION_IDS } from '../../emulator/index.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { certificateNumber, DEFAULTS, generateSatPair } from '../../fixtures/index.js';
import { fillUpload, signIn, startBrowserApp, uploadsReceived, type BrowserApp } from './support/browser-app.js';
import { describeBrowser } from './support/browser-suite.js';
import { checkPage, saveReadmeScreenshot } from './support/page-checks.js';

const OWN_ORG = DEMO_ORGANIZATION_IDS.noCertificate;
const OWN_ORG_PATH = `/organizations/${OWN_ORG}`;
const submit = (page: Page) => page.locator('#upload-submit');

describeBrowser('account admin in the browser', () => {
  let b: BrowserApp;
  beforeAll(async () => {
    b = await startBrowserApp();
  });
  afterAll(async () => {
    await b?.close();
  });

  async function signedIn(): Promise<Page> {
    const page = await b.newPage();
    await signIn(page, 'admin', `**${OWN_ORG_PATH}`);
    return page;
  }

  it('when the admin signs in, then they land on their organization with the upload form explained', async () => {
    const page = await b.newPage();
    await page.goto('/login');
    await checkPage(page, 'login');
    await signIn(page, 'admin', `**${OWN_ORG_PATH}`);
    expect(await page.locator('h1').textContent()).toBe('CAFE ALTURA CHIAPANECA');
    expect(await page.locator('#current-user').textContent()).toContain('Administrador de cuenta');
    expect(await page.locator('#upload').textContent()).toMatch(/No es tu e\.firma \(FIEL\)/);
    expect(await page.locator('#upload').textContent()).toContain('Certifica');
    await checkPage(page, 'organization');
    await saveReadmeScreenshot(page, 'upload-form', '#upload');
  });

  it('when the upload is done with the keyboard alone, then Facturapi gets it once and the result shows the certificate', async () => {
    const page = await signedIn();
    const before = uploadsReceived(b.app);
    // Tab from the top of the page to each field; a file chooser cannot be driven by keys, so the
    // files are handed to the focused input (what the OS dialog would do).
    const tabTo = async (id: string) => {
      for (let i = 0; i < 40; i += 1) {
        if ((await page.evaluate('document.activeElement && document.activeElement.id')) === id) return;
        await page.keyboard.press('Tab');
      }
      throw new Error(`#${id} not reachable with Tab`);
    };
    await tabTo('cer');
    await page.locator('#cer:focus').setInputFiles(b.files.validCsd.cer);
    expect(await page.locator('#cer-info').textContent()).toMatch(/^CSD_valido_Café\.cer \([\d,]+ bytes\)$/);
    await tabTo('key');
    await page.locator('#key:focus').setInputFiles(b.files.validCsd.key);
    await tabTo('password');
    await page.keyboard.type(b.files.validCsd.password);
    await Promise.all([page.waitForURL(/uploaded=/), page.keyboard.press('Enter')]);

    expect(uploadsReceived(b.app)).toBe(before + 1);
    const result = page.locator('#upload-result');
    expect(await result.getAttribute('role')).toBe('status');
    expect(await result.locator('[data-fact=rfc]').textContent()).toBe(DEFAULTS.rfc);
    expect(await result.locator('[data-fact=certificate-number]').textContent()).toBe(b.fixtures.validCsd.certificateNumber);
    expect(await result.locator('[data-fact=valid-to]').textContent()).toMatch(/^\d{1,2} de [a-z]+ de \d{4}$/);
    expect(await result.locator('[data-fact=valid-from]').textContent()).toMatch(/^\d{1,2} de [a-z]+ de \d{4}$/);
    await checkPage(page, 'upload-success');
    await saveReadmeScreenshot(page, 'upload-success', '#upload-result');
  });

  it('when the send button is double-clicked, then the button turns to "sending" and one upload leaves', async () => {
    const page = await signedIn();
    const before = uploadsReceived(b.app);
    // Another certificate than the one just installed: sending that one again sends nothing.
    const pair = generateSatPair({ validFrom: b.fixtures.validCsd.validFrom, validTo: b.fixtures.validCsd.validTo, certificateNumber: certificateNumber(99) });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'csd-relay-dblclick-'));
    writeFileSync(path.join(dir, 'otro.cer'), pair.cer);
    writeFileSync(path.join(dir, 'otro.key'), pair.key);
    await fillUpload(page, { cer: path.join(dir, 'otro.cer'), key: path.join(dir, 'otro.key'), password: pair.password });
    await Promise.all([page.waitForURL(/uploaded=/), submit(page).dblclick()]);
    rmSync(dir, { recursive: true, force: true });
    expect(uploadsReceived(b.app)).toBe(before + 1);
  });

  it('when files are missing or have the wrong extension, then the page says so next to each field and sends nothing', async () => {
    const page = await signedIn();
    const before = uploadsReceived(b.app);
    await submit(page).click();
    expect(await page.locator('#cer-client-error').textContent()).toBe('Elige el archivo .cer del CSD.');
    expect(await page.locator('#key-client-error').textContent()).toBe('Elige el archivo .key del CSD.');
    expect(await page.locator('#password-client-error').textContent()).toBe('Escribe la contraseña de la llave privada.');
    expect(await page.evaluate('document.activeElement.id')).toBe('cer');
    expect(await page.locator('#cer').getAttribute('aria-invalid')).toBe('true');

    await page.locator('#cer').setInputFiles({ name: 'acuse.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4') });
    expect(await page.locator('#cer-client-error').textContent()).toBe('El certificado debe ser un archivo .cer (o .pem).');
    await page.locator('#key').setInputFiles({ name: 'grande.key', mimeType: 'application/octet-stream', buffer: Buffer.alloc(70 * 1024, 1) });
    expect(await page.locator('#key-client-error').textContent()).toMatch(/demasiado grande \(64 KB/);
    await checkPage(page, 'upload-client-errors');
    expect(uploadsReceived(b.app)).toBe(before);
    expect(page.url()).toMatch(new RegExp(`${OWN_ORG_PATH}$`));
  });

  const mistakes = [
    ['a wrong password', () => ({ ...b.files.validCsd, password: 'no-es-esta' }), /La contraseña no abre la llave privada/, 'password'],
    ['a FIEL instead of a CSD', () => b.files.fiel, /es tu e\.firma \(FIEL\), no un CSD/, 'cer'],
    ['a mismatched pair', () => b.files.mismatched, /no corresponde a este certificado/, 'key'],
    ['an expired CSD', () => b.files.expired, /El certificado venció el \d{1,2} de [a-z]+ de \d{4}/, 'cer'],
  ] as const;
  it.each(mistakes)('when the admin sends %s, then the form says what to do and nothing reaches Facturapi', async (_name, files, message, field) => {
    const page = await signedIn();
    const before = uploadsReceived(b.app);
    await fillUpload(page, files());
    await Promise.all([page.waitForURL(`**${OWN_ORG_PATH}/certificate`), submit(page).click()]);
    const summary = page.locator('#upload-errors');
    expect(await summary.textContent()).toMatch(message);
    expect(await page.evaluate('document.activeElement.id')).toBe('upload-errors');
    expect(await page.locator(`#${field}-error`).textContent()).toMatch(message);
    expect(await page.locator('#password').inputValue()).toBe('');
    expect(uploadsReceived(b.app)).toBe(before);
    await checkPage(page, `upload-error-${field}-${_name.replace(/\W+/g, '-')}`);
  });

  it("when the admin opens another organization's URL, then the 403 page says so in the site's style with a way back", async () => {
    const page = await signedIn();
    const response = await page.goto(`/organizations/${DEMO_ORGANIZATION_IDS.expiresIn45Days}`);
    expect(response?.status()).toBe(403);
    expect(await page.locator('h1').textContent()).toContain('No tienes acceso');
    await checkPage(page, 'error-403');
    await Promise.all([page.waitForURL(`**${OWN_ORG_PATH}`), page.getByRole('link', { name: 'Volver al inicio' }).click()]);
  });

  it('when the admin switches to English, then the same page comes back in English and the choice is remembered', async () => {
    const page = await signedIn();
    await Promise.all([page.waitForURL(`**${OWN_ORG_PATH}`), page.getByRole('link', { name: 'English' }).click()]);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('#upload-title').textContent()).toBe('Upload CSD');
    await checkPage(page, 'organization-en');
    await page.goto('/audit');
    expect(await page.locator('h1').textContent()).toBe('Audit trail');
    await checkPage(page, 'audit-en');
    await Promise.all([page.waitForURL('**/audit'), page.getByRole('link', { name: 'Español' }).click()]);
    expect(await page.locator('h1').textContent()).toBe('Bitácora');
  });

  it('when the admin logs out, then the session is gone', async () => {
    const page = await signedIn();
    await Promise.all([page.waitForURL('**/login?signedOut=1'), page.locator('#logout').click()]);
    expect(await page.getByRole('status').textContent()).toBe('Cerraste sesión. Hasta pronto.');
    await checkPage(page, 'signed-out');
    await page.goto(OWN_ORG_PATH);
    expect(page.url()).toMatch(/\/login/);
  });
});
