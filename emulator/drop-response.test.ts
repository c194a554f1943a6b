import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from './emulator-server.js';
import { DEMO_ORGANIZATION_IDS, startTestEmulator, TEST_USER_KEY } from './testing/emulator-fixture.js';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());

describe('the drop_response fault', () => {
  it('applies the change and then cuts the connection instead of answering', async () => {
    const id = DEMO_ORGANIZATION_IDS.expired;
    emulator.setFault({ kind: 'drop_response' }, { times: 1, match: { method: 'DELETE' } });
    const error = await fetch(`${emulator.url}/organizations/${id}/certificate`, { method: 'DELETE', headers: { authorization: `Bearer ${TEST_USER_KEY}` } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError); // fetch failed: no answer
    expect(emulator.getOrganization(id)?.certificate.has_certificate).toBe(false);
  });
});
