/**
 * `describeBrowser` runs a browser test file when a Chromium is found and skips it otherwise,
 * naming the reason in the suite title and on the console (browser-guard.test.ts fails under CI).
 */
import { describe } from 'vitest';
import { chromiumLookup, SKIP_MESSAGE } from './chromium.js';

if (!chromiumLookup.found) console.warn(`\n[csd-relay] ${SKIP_MESSAGE}\n`);

export function describeBrowser(name: string, body: () => void): void {
  describe.skipIf(!chromiumLookup.found)(chromiumLookup.found ? name : `${name} (${SKIP_MESSAGE})`, body);
}
