/**
 * Checks run on every page the browser tests visit: axe-core (fail on serious or critical
 * violations), every form field labelled, and a screenshot kept as a test artifact.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const ARTIFACTS_DIR = path.resolve('test-results');
export const SCREENSHOTS_DIR = path.join(ARTIFACTS_DIR, 'screenshots');
const AXE_DIR = path.join(ARTIFACTS_DIR, 'axe');

export interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Runs axe-core on the page as it is now. The app's CSP forbids inline scripts, so a script tag
 * (which Playwright inlines) would be blocked; evaluating the source through the DevTools
 * protocol is not subject to the page's CSP. Every result is written to test-results/axe/ (the
 * minor and moderate ones too, for the report); serious and critical ones fail the test.
 */
export async function checkAccessibility(page: Page, label: string): Promise<AxeViolation[]> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({
       id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))`,
  )) as AxeViolation[];
  mkdirSync(AXE_DIR, { recursive: true });
  writeFileSync(path.join(AXE_DIR, `${label}.json`), JSON.stringify({ url: page.url(), violations }, null, 2));
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (blocking.length > 0) {
    const lines = blocking.map((v) => `- [${v.impact}] ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    throw new Error(`axe found ${blocking.length} serious/critical violation(s) on ${label} (${page.url()}):\n${lines.join('\n')}`);
  }
  return violations;
}

/**
 * The fields (inputs other than hidden ones, selects, textareas) that have no accessible name
 * from a <label>, aria-label or aria-labelledby. Empty means every field is labelled.
 */
export async function unlabelledFields(page: Page): Promise<string[]> {
  return (await page.evaluate(`[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
    .filter((el) => el.labels.length === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
    .map((el) => el.outerHTML)`)) as string[];
}

/** Saves a full-page screenshot under test-results/screenshots/ (git-ignored). */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const file = path.join(SCREENSHOTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * The checks every visited page gets: axe, labels, a screenshot. `axe: false` is for contexts
 * with JavaScript turned off: axe.run waits on page timers, which never fire there (the same
 * pages are checked with JavaScript on).
 */
export async function checkPage(page: Page, name: string, options: { axe?: boolean } = {}): Promise<void> {
  if (options.axe !== false) await checkAccessibility(page, name);
  const unlabelled = await unlabelledFields(page);
  if (unlabelled.length > 0) throw new Error(`unlabelled form fields on ${name}:\n${unlabelled.join('\n')}`);
  await saveScreenshot(page, name);
}

/**
 * The README's screenshots (docs/screenshots/), taken by the journeys themselves so they show the
 * real pages. Only with README_SCREENSHOTS=1, so an ordinary test run leaves the tree clean.
 */
export async function saveReadmeScreenshot(page: Page, name: string, selector?: string): Promise<void> {
  if (process.env['README_SCREENSHOTS'] !== '1') return;
  const dir = path.resolve('docs', 'screenshots');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  if (selector) await page.locator(selector).screenshot({ path: file });
  else await page.screenshot({ path: file });
}
