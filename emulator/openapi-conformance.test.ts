import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSatPair } from '../fixtures/index.js';
import type { RunningEmulator } from './emulator-server.js';
import { DEMO_ORGANIZATION_IDS, startTestEmulator, TEST_USER_KEY } from './testing/emulator-fixture.js';
import { loadSpecValidator } from './testing/openapi-validator.js';

// CI sets ../shared/facturapi/openapi_v2.en.yaml; locally use /work/shared/facturapi/openapi_v2.en.yaml.
const specPath = process.env.FACTURAPI_OPENAPI_PATH;
const title = specPath
  ? 'Emulator responses against the Facturapi OpenAPI spec'
  : 'Emulator responses against the Facturapi OpenAPI spec (SKIPPED: FACTURAPI_OPENAPI_PATH is not set)';

if (!specPath) {
  console.warn('[openapi-conformance] skipped: set FACTURAPI_OPENAPI_PATH to the Facturapi OpenAPI YAML (e.g. /work/shared/facturapi/openapi_v2.en.yaml)');
}

describe.skipIf(!specPath)(title, () => {
  let emulator: RunningEmulator;
  let validate: ReturnType<typeof loadSpecValidator>;
  const headers = { authorization: `Bearer ${TEST_USER_KEY}` };
  beforeAll(async () => {
    validate = loadSpecValidator(resolve(process.cwd(), specPath ?? ''));
    emulator = await startTestEmulator();
  });
  afterAll(() => emulator?.close());

  const getJson = async (path: string, init: RequestInit = {}) => (await fetch(emulator.url + path, { headers, ...init })).json();

  it.each(Object.entries(DEMO_ORGANIZATION_IDS))('the %s demo organization is a valid Organization', async (_state, id) => {
    expect(validate('Organization', await getJson(`/organizations/${id}`))).toEqual([]);
  });

  it('a search page is a valid OrganizationSearchResult', async () => {
    expect(validate('OrganizationSearchResult', await getJson('/organizations?limit=100'))).toEqual([]);
  });

  it('the organization returned by a certificate upload is a valid Organization', async () => {
    const pair = generateSatPair({ rfc: 'CAC210630M55' });
    const form = new FormData();
    form.append('cer', new Blob([new Uint8Array(pair.cer)]), 'cer.cer');
    form.append('key', new Blob([new Uint8Array(pair.key)]), 'key.key');
    form.append('password', pair.password);
    const body = await getJson(`/organizations/${DEMO_ORGANIZATION_IDS.noCertificate}/certificate`, { method: 'PUT', body: form });
    expect(body).toMatchObject({ certificate: { has_certificate: true } });
    expect(validate('Organization', body)).toEqual([]);
  });

  it('the organization returned by an e.firma upload is a valid Organization, with its fiel filled', async () => {
    const pair = generateSatPair({ type: 'FIEL', rfc: 'EKU9003173C9' });
    const form = new FormData();
    form.append('cer', new Blob([new Uint8Array(pair.cer)]), 'cer.cer');
    form.append('key', new Blob([new Uint8Array(pair.key)]), 'key.key');
    form.append('password', pair.password);
    const body = await getJson(`/organizations/${DEMO_ORGANIZATION_IDS.expiresSoon}/fiel`, { method: 'PUT', body: form });
    expect(body).toMatchObject({ fiel: { has_certificate: true, serial_number: pair.certificateNumber } });
    expect(validate('Organization', body)).toEqual([]);
  });

  it('error bodies are valid GenericErrors', async () => {
    expect(validate('GenericError', await getJson('/organizations/ffffffffffffffffffffffff'))).toEqual([]);
    expect(validate('GenericError', await getJson('/organizations?page=31'))).toEqual([]);
    expect(validate('GenericError', await getJson('/organizations', { headers: {} }))).toEqual([]);
  });

  it('the validator does catch a response that breaks the schema', async () => {
    const org = (await getJson(`/organizations/${DEMO_ORGANIZATION_IDS.expired}`)) as Record<string, unknown>;
    expect(validate('Organization', { ...org, is_production_ready: 'yes', pending_steps: [{ type: 'nope' }] })).toHaveLength(2);
  });
});
