import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isLoopbackAddress } from './control-routes.js';
import type { RunningEmulator } from './emulator-server.js';
import { DEMO_ORGANIZATION_IDS, startTestEmulator, TEST_USER_KEY } from './testing/emulator-fixture.js';

let emulator: RunningEmulator;
let control: string;
beforeAll(async () => {
  emulator = await startTestEmulator();
  control = emulator.url.replace(/\/v2$/, '/_emulator/faults');
});
afterAll(() => emulator.close());
beforeEach(() => emulator.setFault(null));

const auth = { authorization: `Bearer ${TEST_USER_KEY}` };
const orgPath = `/organizations/${DEMO_ORGANIZATION_IDS.expired}`;
const call = (path = orgPath, init: RequestInit = {}) => fetch(emulator.url + path, { headers: auth, ...init });

describe('Emulator faults', () => {
  it('delays a response by the latency given', async () => {
    emulator.setFault({ kind: 'latency', ms: 300 });
    const started = performance.now();
    const response = await call();
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('hangs without answering until the client gives up', async () => {
    emulator.setFault({ kind: 'hang' });
    const error = await call(orgPath, { signal: AbortSignal.timeout(200) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TimeoutError' });
  });

  it('answers a 5xx as Facturapi JSON or as an HTML proxy page', async () => {
    emulator.setFault({ kind: 'status', status: 503, json: true }, { times: 1 });
    const json = await call();
    expect([json.status, ((await json.json()) as { code: string }).code]).toEqual([503, 'internal_error']);
    emulator.setFault({ kind: 'status', status: 502, json: false }, { times: 1 });
    const html = await call();
    expect(html.status).toBe(502);
    expect(html.headers.get('content-type')).toContain('text/html');
  });

  it('answers 429 rate_limit_exceeded with Retry-After', async () => {
    emulator.setFault({ kind: 'rate_limit', retryAfterSeconds: 7 });
    const response = await call();
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(((await response.json()) as { code: string }).code).toBe('rate_limit_exceeded');
  });

  it('sends truncated JSON with a 200', async () => {
    emulator.setFault({ kind: 'malformed_json' });
    const response = await call();
    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toThrow();
  });

  it('destroys the socket mid-response', async () => {
    emulator.setFault({ kind: 'reset' });
    const error = await call().then((r) => r.text()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
  });

  it('heals after `times` matching requests and ignores requests that do not match', async () => {
    emulator.setFault({ kind: 'status', status: 500, json: true }, { times: 2, match: { method: 'GET', pathPrefix: '/v2/organizations/' } });
    expect((await call('/organizations')).status).toBe(200);
    expect((await call()).status).toBe(500);
    expect((await call()).status).toBe(500);
    expect((await call()).status).toBe(200);
  });

  it('can be switched from another process through the loopback control endpoint', async () => {
    const set = await fetch(control, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fault: { kind: 'status', status: 502, json: true }, times: 1 }) });
    expect(set.status).toBe(200);
    expect((await call()).status).toBe(502);
    await fetch(control, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fault: { kind: 'hang' } }) });
    const cleared = await fetch(control, { method: 'DELETE' });
    expect(((await cleared.json()) as { fault: unknown }).fault).toBeNull();
    expect((await call()).status).toBe(200);
  });

  it('rejects an invalid fault on the control endpoint with 400', async () => {
    const response = await fetch(control, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fault: { kind: 'status', status: 418, json: true } }) });
    expect(response.status).toBe(400);
    expect((await call()).status).toBe(200);
  });

  it('counts faulted requests among those received', async () => {
    emulator.received.length = 0;
    emulator.setFault({ kind: 'status', status: 500, json: true }, { times: 1 });
    await call();
    await call();
    expect(emulator.received.map((r) => r.path)).toEqual([`/v2${orgPath}`, `/v2${orgPath}`]);
  });
});

describe('Loopback detection', () => {
  it.each([['127.0.0.1', true], ['::1', true], ['::ffff:127.0.0.1', true], ['10.0.0.5', false], ['::ffff:192.168.1.2', false], [undefined, false]])('treats %s as loopback: %s', (address, expected) => {
    expect(isLoopbackAddress(address)).toBe(expected);
  });
});
