/**
 * The browser tests skip themselves without a Chromium; this guard makes that a failure under
 * CI=true, where .ci/run installs Chromium, so a broken install cannot pass as "all green".
 */
import { describe, expect, it } from 'vitest';
import { chromiumLookup, findChromium, SKIP_MESSAGE } from './support/chromium.js';

describe('browser tests', () => {
  it.runIf(process.env['CI'] === 'true')('when CI=true, then a Chromium is installed for them', () => {
    expect(chromiumLookup.found, SKIP_MESSAGE).toBe(true);
  });

  it('when CHROMIUM_PATH names a missing file, then the lookup says why and how to enable them', () => {
    const lookup = findChromium({ CHROMIUM_PATH: '/nonexistent/chromium' });
    expect(lookup).toMatchObject({ found: false, path: '/nonexistent/chromium' });
    expect(lookup.found ? '' : lookup.reason).toContain('CHROMIUM_PATH');
  });
});
