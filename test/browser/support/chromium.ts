/**
 * Finding and launching Debian's Chromium for the browser tests (docs/stack.md §5). The browser
 * tests run inside `npm test` when a Chromium is found; without one they are skipped with a
 * message, except under `CI=true`, where a missing browser is a failure (browser-guard.test.ts).
 */
import { accessSync, constants } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/** The flags verified in docs/stack.md §5: no sandbox (containers), no GPU, nothing phoning home. */
const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export type ChromiumLookup = { found: true; path: string } | { found: false; path: string; reason: string };

export function findChromium(env: NodeJS.ProcessEnv = process.env): ChromiumLookup {
  const path = env['CHROMIUM_PATH'] || DEFAULT_CHROMIUM_PATH;
  try {
    accessSync(path, constants.X_OK);
    return { found: true, path };
  } catch {
    const origin = env['CHROMIUM_PATH'] ? 'CHROMIUM_PATH' : 'the default path';
    return { found: false, path, reason: `no executable Chromium at ${path} (${origin})` };
  }
}

export const chromiumLookup = findChromium();

/** What to print when the browser tests are skipped: why, and how to turn them on. */
export const SKIP_MESSAGE = chromiumLookup.found
  ? ''
  : `browser tests skipped: ${chromiumLookup.reason}. Install it with ` +
    '`apt-get install -y chromium` or set CHROMIUM_PATH to a Chromium binary (CI=true makes this a failure).';

/**
 * One browser per test file. Playwright gives every `launch` a fresh temporary profile
 * (user-data dir) and deletes it on close, so runs never share cookies or cache.
 */
export function launchChromium(): Promise<Browser> {
  if (!chromiumLookup.found) throw new Error(SKIP_MESSAGE);
  return chromium.launch({ executablePath: chromiumLookup.path, headless: true, args: LAUNCH_ARGS });
}
