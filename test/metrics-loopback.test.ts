/**
 * GET /metrics answers on loopback only, and never through a proxy: the loopback check is the
 * shared one (src/loopback.ts), so this pins what the metrics route makes of it.
 */
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app-harness.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('GET /metrics', () => {
  it('when asked from loopback directly, then it reports the event loop; through a proxy it is not there', async () => {
    t = await startTestApp({ env: { METRICS_ENDPOINT: 'true' } });
    const direct = await request(t.url).get('/metrics');
    expect(direct.status).toBe(200);
    expect(direct.body.eventLoopDelayMs).toHaveProperty('p99');
    const proxied = await request(t.url).get('/metrics').set('X-Forwarded-For', '203.0.113.9');
    expect(proxied.status).toBe(404);
  });

  it('when the endpoint is not enabled, then there is no such page', async () => {
    t = await startTestApp();
    expect((await request(t.url).get('/metrics')).status).not.toBe(200);
  });
});
