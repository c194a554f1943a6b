import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedOrganizations } from './demo-data.js';
import { startEmulator, type RunningEmulator } from './emulator-server.js';
import { DEMO_ORGANIZATION_IDS, startTestEmulator, TEST_NOW, TEST_USER_KEY } from './testing/emulator-fixture.js';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());

async function get(path: string, authorization: string | null = `Bearer ${TEST_USER_KEY}`, base = emulator.url) {
  const response = await fetch(base + path, { headers: authorization === null ? {} : { authorization } });
  return { status: response.status, logId: response.headers.get('x-facturapi-log-id'), body: (await response.json()) as Record<string, any> };
}

describe('Emulator authentication', () => {
  it('answers a request without Authorization with missing_credentials', async () => {
    const { status, body } = await get('/organizations', null);
    expect(status).toBe(401);
    expect(body).toEqual({ ok: false, status: 401, code: 'missing_credentials', message: expect.any(String), location: 'headers', path: 'authorization' });
  });

  it.each([
    ['Bearer sk_user_unknown', 'user_key_invalid'],
    ['Bearer sk_live_unknown', 'api_key_invalid'],
    ['Basic c2tfdXNlcjo=', 'unauthorized'],
  ])('answers %s with %s', async (authorization, code) => {
    const { status, body } = await get('/organizations', authorization);
    expect(status).toBe(401);
    expect(body.code).toBe(code);
  });

  it('puts a fresh X-Facturapi-Log-Id on every response, errors and control calls included', async () => {
    const ids = [
      (await get('/organizations')).logId,
      (await get('/organizations', null)).logId,
      (await get('/nowhere')).logId,
      (await get('/faults', null, emulator.url.replace(/\/v2$/, '/_emulator'))).logId,
    ];
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('refuses to bind to a non-loopback host', async () => {
    await expect(startEmulator({ userKeys: ['k'], host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });
});

describe('Emulator organizations', () => {
  it('returns one organization and 404 organization_not_found for an unknown id', async () => {
    expect((await get(`/organizations/${DEMO_ORGANIZATION_IDS.expired}`)).body.legal.name).toBe('Transportes del Bajío');
    const { status, body } = await get('/organizations/ffffffffffffffffffffffff');
    expect(status).toBe(404);
    expect(body.code).toBe('organization_not_found');
  });

  it.each([
    ['PEÑA', 'Ferretería Peña'],
    ['bajio', 'Transportes del Bajío'],
    ['eku9003', 'Escuela Kemper Urgate'],
    ['gomez &', 'Abarrotes Gómez & Hijos'],
  ])('finds %s by name, legal name or RFC ignoring case and accents', async (q, name) => {
    const { body } = await get(`/organizations?q=${encodeURIComponent(q)}`);
    expect(body.data.map((org: { legal: { name: string } }) => org.legal.name)).toEqual([name]);
  });

  it.each([['page=0'], ['page=31'], ['page=abc'], ['limit=0'], ['limit=101'], ['limit=1.5']])('rejects %s with a 400 and a code', async (query) => {
    const { status, body } = await get(`/organizations?${query}`);
    expect(status).toBe(400);
    expect(body.code).toBe(query.startsWith('page') ? 'invalid_page' : 'invalid_limit');
  });

  it('paginates 3,000 organizations newest first with a default limit of 50', async () => {
    const big = await startEmulator({ userKeys: [TEST_USER_KEY], now: () => TEST_NOW, organizations: generatedOrganizations(3_000, TEST_NOW) });
    try {
      const first = await get('/organizations', `Bearer ${TEST_USER_KEY}`, big.url);
      expect(first.body).toMatchObject({ page: 1, total_pages: 60, total_results: 3_000 });
      expect(first.body.data).toHaveLength(50);
      const dates = first.body.data.map((org: { created_at: string }) => org.created_at);
      expect(dates).toEqual([...dates].sort().reverse());
      const last = await get('/organizations?page=30&limit=100', `Bearer ${TEST_USER_KEY}`, big.url);
      expect(last.body.data).toHaveLength(100);
      expect(last.body.data[0].id).not.toBe(first.body.data[0].id);
    } finally {
      await big.close();
    }
  });
});
