import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSatPair } from '../../fixtures/index.js';
import { createFacturapiClient } from './client.js';
import { FacturapiInvalidIdError, FacturapiRejectedError } from './errors.js';
import type { RunningEmulator } from '../../emulator/index.js';
import { DEMO_ORGANIZATION_IDS, startTestEmulator, TEST_NOW, TEST_USER_KEY } from '../../emulator/testing/emulator-fixture.js';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());

const client = () => createFacturapiClient({ baseUrl: emulator.url, userKey: TEST_USER_KEY, timeoutMs: 3_000 });

describe('Facturapi client: the e.firma', () => {
  it('reads an organization without an e.firma with a fiel summary of nulls', async () => {
    const org = await client().getOrganization(DEMO_ORGANIZATION_IDS.validForYears);
    expect(org.fiel).toEqual({ hasCertificate: false, updatedAt: null, expiresAt: null, serialNumber: null });
  });

  it('uploads an e.firma with PUT /fiel, the same multipart shape, and reads the fiel object back', async () => {
    const pair = generateSatPair({ type: 'FIEL', rfc: 'FPE080512K73', certificateNumber: '30001000000900000077' });
    const org = await client().uploadFiel(DEMO_ORGANIZATION_IDS.validForYears, pair);
    expect(org.fiel).toEqual({ hasCertificate: true, serialNumber: '30001000000900000077', expiresAt: pair.validTo, updatedAt: TEST_NOW });
    expect(org.certificate.serialNumber).toBe('00001000000512340001');
    const sent = emulator.received.at(-1)!;
    expect(sent).toMatchObject({ method: 'PUT', path: `/v2/organizations/${DEMO_ORGANIZATION_IDS.validForYears}/fiel` });
  });

  it('a CSD sent to /fiel comes back as Facturapi’s refusal', async () => {
    const error = await client().uploadFiel(DEMO_ORGANIZATION_IDS.validForYears, generateSatPair({ rfc: 'FPE080512K73' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FacturapiRejectedError);
    expect((error as FacturapiRejectedError).code).toBe('fiel_required');
  });

  it('refuses an id that is not an organization id before sending', async () => {
    await expect(client().uploadFiel('../me', generateSatPair({ type: 'FIEL' }))).rejects.toBeInstanceOf(FacturapiInvalidIdError);
  });
});
