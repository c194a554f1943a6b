/**
 * Turning expiry reminders off in Chromium (issue 12, part 3), at 1280 px and on a 375 px phone:
 * on *Mi cuenta* (toggle, save, the message, the state kept), and with the unsubscribe link of a
 * reminder e-mail that the real job sent through a real SMTP server on loopback (open it without a
 * session, confirm, see the confirmation; the person's settings page then shows reminders off).
 * Every page passes axe (no serious or critical violations), has its fields labelled, and does not
 * scroll sideways.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createAuditTrail } from '../../src/audit/audit.service.js';
import { createFacturapiClient } from '../../src/facturapi/client.js';
import { createLogger } from '../../src/logger.js';
import { createMailer } from '../../src/mail/mailer.js';
import { createSmtpTransport } from '../../src/mail/smtp-transport.js';
import { runReminders } from '../../src/reminders/reminders.service.js';
import { unsubscribeTokens } from '../../src/reminders/unsubscribe-token.js';
import { DEMO_ORGANIZATION_IDS, TEST_SESSION_SECRET, TEST_USER_KEY } from '../support/app-harness.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { signIn, startBrowserApp, type BrowserApp } from './support/browser-app.js';
import { describeBrowser } from './support/browser-suite.js';
import { horizontalOverflow } from './support/layout-checks.js';
import { checkPage } from './support/page-checks.js';

const WIDTHS = [
  { name: '1280', viewport: { width: 1280, height: 900 } },
  { name: '375', viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true },
] as const;
const STOP_LINK = /Dejar de recibir estos avisos: (\S+)/;

describeBrowser('turning reminders off in the browser', () => {
  let b: BrowserApp;
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
    b = await startBrowserApp({ env: { SMTP_URL: sink.url, MAIL_FROM: 'csd-relay <no-reply@example.test>', PUBLIC_URL: 'http://csd.example.test' } });
    // admin also manages the organization expiring in 10 days; otherAdmin has the one in 45: both get a reminder.
    const db = b.app.database.db;
    const admin = await db.selectFrom('users').select('id').where('email', '=', 'admin@example.test').executeTakeFirstOrThrow();
    await db.insertInto('memberships').values({ user_id: admin.id, organization_id: DEMO_ORGANIZATION_IDS.expiresSoon, created_at: b.app.clock.now().toISOString(), created_by: null }).execute();
    const logger = createLogger({ level: 'debug', destination: b.app.logs.stream });
    const run = await runReminders({
      db, logger, publicUrl: 'http://csd.example.test', thresholdDays: [60, 30, 15, 7, 1, 0], tokens: unsubscribeTokens(TEST_SESSION_SECRET),
      facturapi: createFacturapiClient({ baseUrl: b.app.emulator.url, userKey: TEST_USER_KEY, timeoutMs: 5000, logger }),
      mailer: createMailer({ db, transport: createSmtpTransport(sink.url), from: 'no-reply@example.test', now: b.app.clock.now, logger, retryDelaysMs: [0, 0] }),
      audit: createAuditTrail(db, { now: b.app.clock.now }),
    }, { now: b.app.clock.now() });
    expect(run.ran).toBe(true);
    await sink.waitFor(2);
  });
  afterAll(async () => {
    await b?.close();
    await sink?.close();
  });

  const optedOut = async (email: string) =>
    (await b.app.database.db.selectFrom('users').select('reminders_opted_out_at').where('email', '=', email).executeTakeFirstOrThrow()).reminders_opted_out_at !== null;
  const stopLinkOf = (email: string) => new URL(STOP_LINK.exec(sink.mails.find((m) => m.to[0] === email)!.text)![1]!).pathname;

  async function noSidewaysScroll(page: Page, label: string): Promise<void> {
    expect(await horizontalOverflow(page), label).toBeLessThanOrEqual(0);
    await checkPage(page, label);
  }

  it('when the admin turns reminders off on Mi cuenta at 1280 px and back on at 375 px, then each save says so and the page keeps the choice', async () => {
    for (const [i, width] of WIDTHS.entries()) {
      const page = await b.newPage(width);
      await signIn(page, 'admin', '**/organizations');
      await page.goto('/account/settings');
      const box = page.locator('#settings-reminders');
      const wanted = i === 1;
      expect(await box.isChecked()).toBe(!wanted);
      await noSidewaysScroll(page, `settings-${width.name}`);
      await box.setChecked(wanted);
      await Promise.all([page.waitForURL('**/account/settings'), page.locator('#settings-save').click()]);
      await page.waitForLoadState('load');
      expect(await page.getByRole('status').textContent()).toBe('Preferencias guardadas.');
      expect(await page.locator('#settings-reminders').isChecked()).toBe(wanted);
      expect(await optedOut('admin@example.test')).toBe(!wanted);
      await noSidewaysScroll(page, `settings-saved-${width.name}`);
      await page.reload();
      expect(await page.locator('#settings-reminders').isChecked()).toBe(wanted);
      expect(await page.getByRole('status').count()).toBe(0);
    }
  });

  it('when a reminder\'s unsubscribe link is opened without a session (375 px, then 1280 px) and confirmed, then the confirmation shows and the settings page shows reminders off', async () => {
    const people = [
      { user: 'otherAdmin', email: 'otra@example.test', width: WIDTHS[1], landing: `**/organizations/${DEMO_ORGANIZATION_IDS.expiresIn45Days}` },
      { user: 'admin', email: 'admin@example.test', width: WIDTHS[0], landing: '**/organizations' },
    ] as const;
    for (const person of people) {
      expect(await optedOut(person.email)).toBe(false);
      const page = await b.newPage(person.width);
      const link = stopLinkOf(person.email);
      await page.goto(link);
      // The token leaves the address bar at once (the GET keeps only the user in the session).
      expect(new URL(page.url()).pathname).toBe('/reminders/unsubscribe');
      expect(await page.locator('h1').textContent()).toBe('Avisos de vencimiento');
      expect(await page.locator('main').textContent()).toContain(`¿Dejar de recibir los avisos por correo de vencimiento de certificados en ${person.email}?`);
      await noSidewaysScroll(page, `unsubscribe-confirm-${person.width.name}`);
      expect(await optedOut(person.email)).toBe(false);

      await page.locator('#unsubscribe-submit').click();
      await page.locator('#unsubscribe-done').waitFor();
      expect(await page.locator('#unsubscribe-done').textContent()).toBe(`Listo: ${person.email} ya no recibirá avisos de vencimiento. Puedes volver a activarlos en Mi cuenta.`);
      await noSidewaysScroll(page, `unsubscribe-done-${person.width.name}`);
      expect(await optedOut(person.email)).toBe(true);

      await signIn(page, person.user, person.landing);
      await page.goto('/account/settings');
      expect(await page.locator('#settings-reminders').isChecked()).toBe(false);
      await noSidewaysScroll(page, `settings-after-unsubscribe-${person.width.name}`);
    }
  });
});
