/**
 * The organization pickers in Chromium (issue 11, point 2) and the one-time link's copy button
 * (point 4). With JavaScript the search box is a combobox: labelled, driven by the keyboard alone
 * (type, arrow down, Enter), axe-clean with its list open. Without JavaScript the same form is a
 * search step: Search, then choose a match, then send. axe runs at 1280 and 375 px.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../../emulator/index.js';
import { signIn, startBrowserApp, type BrowserApp } from './support/browser-app.js';
import { describeBrowser } from './support/browser-suite.js';
import { checkAccessibility, checkPage } from './support/page-checks.js';
import { horizontalOverflow } from './support/layout-checks.js';

const KEMPER = DEMO_ORGANIZATION_IDS.expiresSoon; // ESCUELA KEMPER URGATE, EKU9003173C9
const ORG_LABEL = 'Organización (nombre, razón social o RFC)';

describeBrowser('choosing an organization by name or RFC', () => {
  let b: BrowserApp;
  beforeAll(async () => {
    b = await startBrowserApp();
  });
  afterAll(async () => {
    await b?.close();
  });

  for (const width of [1280, 375]) {
    it(`when support invites with the keyboard at ${width} px, then the combobox finds the organization, the invitation names it and the link can be copied`, async () => {
      const page = await b.newPage({ viewport: { width, height: 900 } });
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: b.app.url });
      await signIn(page, 'support', '**/organizations');
      await page.goto('/people');
      const box = page.getByRole('combobox', { name: ORG_LABEL });
      await box.focus();
      await page.keyboard.type('kemper');
      const option = page.getByRole('option', { name: 'ESCUELA KEMPER URGATE · EKU9003173C9' });
      await option.waitFor();
      expect(await box.getAttribute('aria-expanded')).toBe('true');
      expect(await page.locator('[data-picker-search]').isVisible()).toBe(false);
      await checkAccessibility(page, `picker-open-${width}`);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await page.keyboard.press('ArrowDown');
      expect(await option.getAttribute('aria-selected')).toBe('true');
      expect(await box.getAttribute('aria-activedescendant')).toBe(await option.getAttribute('id'));
      await page.keyboard.press('Enter');
      expect(await box.getAttribute('aria-expanded')).toBe('false');
      expect(await box.inputValue()).toBe('ESCUELA KEMPER URGATE · EKU9003173C9');
      expect(await page.locator('[data-org-picker] input[type=hidden][name=organizationId]').inputValue()).toBe(KEMPER);
      await checkPage(page, `people-picker-chosen-${width}`);

      await page.getByLabel('Correo electrónico').last().fill(`luis-${width}@example.test`);
      await page.getByLabel('Nombre', { exact: true }).fill('Luis');
      await Promise.all([page.waitForURL('**/people/invite'), page.getByRole('button', { name: 'Crear invitación' }).click()]);
      expect(await page.locator('h1').textContent()).toBe('Invitación creada');
      const copy = page.getByRole('button', { name: 'Copiar enlace' });
      await copy.click();
      await page.locator('#copy-status', { hasText: 'Enlace copiado.' }).waitFor();
      expect(await page.evaluate('navigator.clipboard.readText()')).toBe(await page.locator('#issued-link').inputValue());
      await checkPage(page, `link-issued-${width}`);

      await page.goto('/people');
      const row = page.locator('#people-table tbody tr', { hasText: `luis-${width}@example.test` });
      expect(await row.textContent()).toContain('ESCUELA KEMPER URGATE');
    });
  }

  it('when support filters the audit trail through the combobox, then the trail is filtered by the chosen organization', async () => {
    const page = await b.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'support', '**/organizations');
    await page.goto('/audit');
    const box = page.getByRole('combobox', { name: 'Organización' });
    await box.fill('EKU9003173C9');
    await page.getByRole('option', { name: /ESCUELA KEMPER URGATE/ }).click();
    await Promise.all([page.waitForURL(`**/audit?organizationId=${KEMPER}**`), page.getByRole('button', { name: 'Filtrar' }).click()]);
    expect(await box.inputValue()).toBe('ESCUELA KEMPER URGATE · EKU9003173C9');
    await checkPage(page, 'audit-filtered');
  });

  it('when JavaScript is off, then the invitation is a search step: search, choose the match, send; and no copy button shows', async () => {
    const page = await b.newPage({ javaScriptEnabled: false, viewport: { width: 375, height: 812 } });
    await signIn(page, 'support', '**/organizations');
    await page.goto('/people');
    await page.getByLabel(ORG_LABEL).fill('EKU9003173C9');
    await Promise.all([page.waitForURL('**/people?orgq=EKU9003173C9**'), page.getByRole('button', { name: 'Buscar' }).click()]);
    const radio = page.getByRole('radio', { name: /ESCUELA KEMPER URGATE/ });
    await radio.check();
    await page.getByLabel('Correo electrónico').last().fill('sin-js@example.test');
    await page.getByLabel('Nombre', { exact: true }).fill('Sin JS');
    await checkPage(page, 'people-picker-no-js', { axe: false });
    await Promise.all([page.waitForURL('**/people/invite'), page.getByRole('button', { name: 'Crear invitación' }).click()]);
    expect(await page.locator('h1').textContent()).toBe('Invitación creada');
    expect(await page.locator('#copy-link').isVisible()).toBe(false);
    expect(await page.locator('#issued-link').inputValue()).toContain('/account/set-password/');
  });
});
