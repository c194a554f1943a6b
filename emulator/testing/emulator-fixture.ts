import { demoOrganizations, DEMO_ORGANIZATION_IDS } from '../demo-data.js';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../emulator-server.js';

/** The emulator's clock in tests: fixed, so certificate validity never depends on the day. */
export const TEST_NOW = new Date('2026-01-15T12:00:00Z');
/** The user key the test emulator accepts; the app harness (test/support/app-harness.ts) uses it too. */
export const TEST_USER_KEY = 'sk_user_test_key_not_real_0123';
export { DEMO_ORGANIZATION_IDS };

/** Starts an emulator on 127.0.0.1:0 with the demo organizations as of {@link TEST_NOW}. */
export function startTestEmulator(overrides: Partial<EmulatorOptions> = {}): Promise<RunningEmulator> {
  return startEmulator({
    userKeys: [TEST_USER_KEY],
    now: () => TEST_NOW,
    organizations: demoOrganizations(TEST_NOW),
    ...overrides,
  });
}
