/**
 * One test file's browser setup: the real app and emulator (startTestApp, fixed clock, in-memory
 * database), one Chromium for the whole file, and helpers to sign in and to hand the fixture
 * files to the file inputs. Everything goes to 127.0.0.1 (docs/stack.md pitfall 12).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { startTestApp, type TestApp, type TestAppOptions } from '../../support/app-harness.js';
import { FIXTURE_REFERENCE_DATE, standardFixtures, type StandardFixtures } from '../../../fixtures/index.js';
import { TEST_USERS, type TestUserName } from '../../support/users.js';
import { launchChromium } from './chromium.js';

export interface CsdFiles {
  cer: string;
  key: string;
  password: string;
}

export interface BrowserApp {
  app: TestApp;
  browser: Browser;
  fixtures: StandardFixtures;
  /** The standard fixtures written to a temp folder, as a person would have them on disk. */
  files: Record<'validCsd' | 'fiel' | 'expired' | 'mismatched', CsdFiles>;
  /** A fresh context (its own cookies) on the app; Spanish unless told otherwise. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  close(): Promise<void>;
}

export async function startBrowserApp(options: TestAppOptions = {}): Promise<BrowserApp> {
  const app = await startTestApp({ now: FIXTURE_REFERENCE_DATE, ...options });
  const browser = await launchChromium();
  const fixtures = standardFixtures(FIXTURE_REFERENCE_DATE);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'csd-relay-browser-'));
  const write = (name: string, pair: { cer: Buffer; key: Buffer; password: string }): CsdFiles => {
    // Non-ASCII names, like real downloads renamed by people (multer pitfall 1).
    const cer = path.join(dir, `${name}_Café.cer`);
    const key = path.join(dir, `${name}_Café.key`);
    writeFileSync(cer, pair.cer);
    writeFileSync(key, pair.key);
    return { cer, key, password: pair.password };
  };
  const files = {
    validCsd: write('CSD_valido', fixtures.validCsd),
    fiel: write('FIEL', fixtures.fiel),
    expired: write('CSD_vencido', fixtures.expired),
    mismatched: write('CSD_mezclado', fixtures.mismatched),
  };
  const contexts: BrowserContext[] = [];
  return {
    app,
    browser,
    fixtures,
    files,
    async newPage(contextOptions = {}) {
      const context = await browser.newContext({ baseURL: app.url, locale: 'es-MX', viewport: { width: 1000, height: 900 }, ...contextOptions });
      contexts.push(context);
      return context.newPage();
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Signs in through the login form and waits for the landing page. */
export async function signIn(page: Page, user: TestUserName, landing: string | RegExp): Promise<void> {
  await page.goto('/login');
  await page.getByLabel(/Correo electrónico|E-mail|Email/).fill(TEST_USERS[user].email);
  await page.locator('#password').fill(TEST_USERS[user].password);
  await Promise.all([page.waitForURL(landing), page.locator('#login-submit').click()]);
}

/** Chooses the files and types the password in the upload form (mouse-free, but not keyboard-only). */
export async function fillUpload(page: Page, files: CsdFiles, password = files.password): Promise<void> {
  await page.locator('#cer').setInputFiles(files.cer);
  await page.locator('#key').setInputFiles(files.key);
  // The CSD form's password (the e.firma form has its own, #fiel-password).
  await page.locator('#password').fill(password);
}

/** PUT requests the emulator received: what actually reached "Facturapi". */
export const uploadsReceived = (app: TestApp) => app.emulator.received.filter((r) => r.method === 'PUT').length;
