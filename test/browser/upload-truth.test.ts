/**
 * Issue 10 in Chromium, on the organization page: the holder's name after an upload, the three
 * headings (refused here, refused by Facturapi, no answer), swapped files taken as meant, the
 * "expires sooner" confirmation without JavaScript, Facturapi down keeping the page and the form,
 * and a send the person cancels (Esc, Stop, back-forward cache) giving the button back. Every
 * page passes axe; the README's heading screenshots are taken here.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_ORGANIZATION_IDS } from '../../emulator/index.js';
import { certificateNumber, FIXTURE_REFERENCE_DATE, generateSatPair } from '../../fixtures/index.js';
import { fillUpload, signIn, startBrowserApp, uploadsReceived, type BrowserApp, type CsdFiles } from './support/browser-app.js';
import { describeBrowser } from './support/browser-suite.js';
import { checkPage, saveReadmeScreenshot } from './support/page-checks.js';

const OWN_ORG_PATH = `/organizations/${DEMO_ORGANIZATION_IDS.noCertificate}`;
const DAY = 86_400_000;
const at = FIXTURE_REFERENCE_DATE.getTime();
const submit = (page: Page) => page.locator('#upload-submit');

describeBrowser('the upload journey tells the truth, in the browser', () => {
  let b: BrowserApp;
  let dir: string;
  let n = 800;
  /** A fresh pair of the synthetic taxpayer written to disk, as a person would have it. */
  const files = (validToDays = 1000): CsdFiles => {
    const pair = generateSatPair({ validFrom: new Date(at - 30 * DAY), validTo: new Date(at + validToDays * DAY), certificateNumber: certificateNumber(n++) });
    const cer = path.join(dir, `CSD_${pair.certificateNumber}.cer`);
    const key = path.join(dir, `CSD_${pair.certificateNumber}.key`);
    writeFileSync(cer, pair.cer);
    writeFileSync(key, pair.key);
    return { cer, key, password: pair.password };
  };

  beforeAll(async () => {
    b = await startBrowserApp({ timeoutMs: 1_500, env: { UPLOADS_PER_USER_PER_HOUR: '100000' } });
    dir = mkdtempSync(path.join(os.tmpdir(), 'csd-relay-truth-'));
  });
  afterAll(async () => {
    await b?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function signedIn(options: Parameters<BrowserApp['newPage']>[0] = {}): Promise<Page> {
    const page = await b.newPage(options);
    await signIn(page, 'admin', `**${OWN_ORG_PATH}`);
    return page;
  }
  const send = (page: Page, url: RegExp | string) => Promise.all([page.waitForURL(url), submit(page).click()]);

  it("when a certificate is installed, then the result shows its holder's name and RFC, and warns that the name is not the organization's", async () => {
    const page = await signedIn();
    await fillUpload(page, files());
    await send(page, /uploaded=/);
    expect(await page.locator('[data-fact=holder-name]').textContent()).toBe('EMPRESA DE PRUEBA SA DE CV');
    expect(await page.locator('[data-fact=rfc]').textContent()).toBe('EPR010101AB1');
    expect(await page.locator('#success-warnings').textContent()).toContain('no coincide con la razón social de la organización en Facturapi (CAFE ALTURA CHIAPANECA)');
    expect(await page.locator('[data-status=holder-name]').textContent()).toContain('EMPRESA DE PRUEBA SA DE CV');
    await checkPage(page, 'truth-holder');
    await saveReadmeScreenshot(page, 'certificate-status-holder', '#certificate-status');
  });

  it('when the check here refuses, then the heading says nothing was sent', async () => {
    const page = await signedIn();
    await fillUpload(page, files(), 'no-es-esta');
    await send(page, `**${OWN_ORG_PATH}/certificate`);
    expect(await page.locator('#upload-heading').textContent()).toBe('No se envió nada a Facturapi. Corrige lo siguiente y vuelve a intentarlo:');
    await checkPage(page, 'truth-refused-here');
    await saveReadmeScreenshot(page, 'upload-refused-here', '#upload-errors');
  });

  it('when Facturapi refuses, then the heading says it was sent and nothing changed there', async () => {
    const page = await signedIn();
    b.app.emulator.setFault({ kind: 'error', status: 400, code: 'certificate_fiel_rfc_mismatch' }, { times: 1, match: { method: 'PUT' } });
    await fillUpload(page, files());
    await send(page, `**${OWN_ORG_PATH}/certificate`);
    expect(await page.locator('#upload-heading').textContent()).toBe('Se envió a Facturapi y lo rechazó; el certificado de la organización no cambió. Corrige lo siguiente y vuelve a intentarlo:');
    await checkPage(page, 'truth-refused-by-facturapi');
    await saveReadmeScreenshot(page, 'upload-refused-by-facturapi', '#upload-errors');
  });

  it('when Facturapi does not answer, then the page stays, says what the read-back showed, and the form sends again once it is back', async () => {
    const page = await signedIn();
    const pair = files();
    b.app.emulator.setFault({ kind: 'hang' }, { match: { method: 'PUT' } });
    try {
      await fillUpload(page, pair);
      await send(page, `**${OWN_ORG_PATH}/certificate`);
    } finally {
      b.app.emulator.setFault(null);
    }
    expect(await page.locator('#upload-heading').textContent()).toBe('Se envió a Facturapi, pero no dio una respuesta.');
    expect(await page.locator('#read-back').textContent()).toContain('no quedó instalado');
    expect(await page.locator('#upload-errors').textContent()).toContain('El navegador no puede conservar los archivos');
    expect(await submit(page).isEnabled()).toBe(true);
    await checkPage(page, 'truth-no-answer');
    await saveReadmeScreenshot(page, 'upload-no-answer', '#upload-errors');
    // Retry from the same page.
    const before = uploadsReceived(b.app);
    await fillUpload(page, pair);
    await send(page, /uploaded=/);
    expect(uploadsReceived(b.app)).toBe(before + 1);
  });

  it('when Facturapi answers 503, then the organization page keeps the message and a ready form (not the error page)', async () => {
    const page = await signedIn();
    b.app.emulator.setFault({ kind: 'status', status: 503, json: true }, { match: { method: 'PUT' } });
    try {
      await fillUpload(page, files());
      await send(page, `**${OWN_ORG_PATH}/certificate`);
    } finally {
      b.app.emulator.setFault(null);
    }
    expect(await page.locator('#certificate-status').count()).toBe(1);
    expect(await page.locator('#upload-errors').textContent()).toContain('Facturapi respondió con un error interno');
    expect(await submit(page).isEnabled()).toBe(true);
    await checkPage(page, 'truth-503');
  });

  it('when the .key is chosen in the certificate field and the .cer in the key field, then it is accepted as meant and said so', async () => {
    const page = await signedIn();
    const pair = files();
    await fillUpload(page, { cer: pair.key, key: pair.cer, password: pair.password });
    await send(page, /uploaded=/);
    expect(await page.locator('#success-warnings').textContent()).toContain('Los archivos estaban en el campo contrario');
  });

  it('when a certificate expires before the installed one, then a checkbox must be ticked first, and that works without JavaScript', async () => {
    const page = await signedIn({ javaScriptEnabled: false });
    await fillUpload(page, files(1500));
    await send(page, /uploaded=/);
    const sooner = files(400);
    const before = uploadsReceived(b.app);
    await fillUpload(page, sooner);
    await send(page, `**${OWN_ORG_PATH}/certificate`);
    expect(await page.locator('#upload-errors').textContent()).toContain('antes que el instalado');
    expect(uploadsReceived(b.app)).toBe(before);
    await checkPage(page, 'truth-earlier-expiry', { axe: false });
    await fillUpload(page, sooner);
    await page.getByLabel(/Sí, reemplazar el certificado instalado/).check();
    await send(page, /uploaded=/);
    expect(uploadsReceived(b.app)).toBe(before + 1);
  });

  it('when a send is cancelled with Esc, or the page comes back from the back-forward cache, then the button works again', async () => {
    // Chromium runs no page script while a form POST is pending under test control (Playwright's
    // and the DevTools protocol's calls wait for the next page), so the send is started for real
    // (app.js's submit handler turns the button to "sending") and its navigation held back by a
    // listener that runs after app.js's; then what the browser does on a cancel is replayed.
    const page = await signedIn();
    const startSend = async () => {
      await fillUpload(page, files());
      await page.evaluate(`window.addEventListener('submit', (e) => e.preventDefault(), { once: true }); document.getElementById('upload-submit').click();`);
      expect(await submit(page).isDisabled()).toBe(true);
      expect(await submit(page).textContent()).toBe('Enviando…');
    };
    // Esc (a browser stops the load on Esc): the button comes back.
    await startSend();
    await page.keyboard.press('Escape');
    expect(await submit(page).isEnabled()).toBe(true);
    expect(await submit(page).textContent()).toBe('Verificar y enviar a Facturapi');
    // Back to a page left mid-send, from the back-forward cache (this app's pages are no-store,
    // which Chromium does not restore, so the event a restore fires is dispatched).
    await startSend();
    await page.evaluate(`window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }))`);
    expect(await submit(page).isEnabled()).toBe(true);
    // And the form still sends.
    await fillUpload(page, files());
    await send(page, /uploaded=/);
  });
});
