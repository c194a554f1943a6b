import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFacturapiClient, type FacturapiClientOptions } from './client.js';
import { FacturapiUnavailableError } from './errors.js';
import type { RunningEmulator } from '../../emulator/index.js';
import { DEMO_ORGANIZATION_IDS, startTestEmulator, TEST_USER_KEY } from '../../emulator/testing/emulator-fixture.js';
import { unusedPort } from '../../test/support/scripted-server.js';

const ORG = DEMO_ORGANIZATION_IDS.validForYears;
let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.setFault(null);
  emulator.received.length = 0;
});

function client(options: Partial<FacturapiClientOptions> = {}) {
  return createFacturapiClient({ baseUrl: emulator.url, userKey: TEST_USER_KEY, timeoutMs: 3_000, retry: { baseDelayMs: 5 }, ...options });
}

async function unavailable(promise: Promise<unknown>): Promise<FacturapiUnavailableError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(FacturapiUnavailableError);
  return error as FacturapiUnavailableError;
}

describe('Facturapi client when Facturapi misbehaves', () => {
  it('gives up on a hanging Facturapi at the deadline with reason timeout', async () => {
    emulator.setFault({ kind: 'hang' });
    const started = performance.now();
    const error = await unavailable(client({ timeoutMs: 300 }).getOrganization(ORG));
    expect(error.reason).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('retries a 5xx and returns the answer that follows', async () => {
    emulator.setFault({ kind: 'status', status: 502, json: false }, { times: 2 });
    const org = await client().getOrganization(ORG);
    expect(org.id).toBe(ORG);
    expect(emulator.received).toHaveLength(3);
  });

  it('stops after maxAttempts when the 5xx persists', async () => {
    emulator.setFault({ kind: 'status', status: 500, json: true });
    const error = await unavailable(client({ retry: { maxAttempts: 4, baseDelayMs: 1 } }).getOrganization(ORG));
    expect(error).toMatchObject({ reason: 'server', status: 500 });
    expect(error.logId).toMatch(/^[0-9a-f]{24}$/);
    expect(emulator.received).toHaveLength(4);
  });

  it('makes three attempts by default', async () => {
    emulator.setFault({ kind: 'status', status: 503, json: true });
    await unavailable(client().listOrganizations());
    expect(emulator.received).toHaveLength(3);
  });

  it('retries a certificate upload too, since PUT replaces and is idempotent', async () => {
    emulator.setFault({ kind: 'reset' }, { times: 1, match: { method: 'PUT' } });
    const error = await client().uploadCertificate(ORG, { cer: Buffer.from('x'), key: Buffer.from('y'), password: 'z' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'FacturapiRejectedError', code: 'certificate_files_invalid' });
    expect(emulator.received.map((r) => r.method)).toEqual(['PUT', 'PUT']);
  });

  it('does not retry a 4xx', async () => {
    await client().getOrganization('ffffffffffffffffffffffff').catch(() => undefined);
    expect(emulator.received).toHaveLength(1);
  });

  it('waits out a short Retry-After on 429 and then succeeds', async () => {
    emulator.setFault({ kind: 'rate_limit', retryAfterSeconds: 1 }, { times: 1 });
    const started = performance.now();
    const org = await client().getOrganization(ORG);
    expect(org.id).toBe(ORG);
    expect(emulator.received).toHaveLength(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('fails fast as rate_limited when Retry-After would not fit before the deadline', async () => {
    emulator.setFault({ kind: 'rate_limit', retryAfterSeconds: 2 }, { times: 1 });
    const started = performance.now();
    const error = await unavailable(client({ timeoutMs: 1_000 }).getOrganization(ORG));
    expect(error).toMatchObject({ reason: 'rate_limited', status: 429 });
    expect(emulator.received).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('fails as rate_limited when Retry-After exceeds maxRetryAfterMs', async () => {
    emulator.setFault({ kind: 'rate_limit', retryAfterSeconds: 3 }, { times: 1 });
    const error = await unavailable(client({ timeoutMs: 10_000, retry: { maxRetryAfterMs: 1_000 } }).getOrganization(ORG));
    expect(error.reason).toBe('rate_limited');
    expect(emulator.received).toHaveLength(1);
  });

  it('treats malformed JSON on a 200 as bad_response without retrying', async () => {
    emulator.setFault({ kind: 'malformed_json' });
    const error = await unavailable(client().getOrganization(ORG));
    expect(error).toMatchObject({ reason: 'bad_response', status: 200 });
    expect(emulator.received).toHaveLength(1);
  });

  it('retries a connection reset mid-response and reports network when it persists', async () => {
    emulator.setFault({ kind: 'reset' });
    const error = await unavailable(client().getOrganization(ORG));
    expect(error.reason).toBe('network');
    expect(emulator.received).toHaveLength(3);
  });

  it('reports a refused connection as network', async () => {
    const port = await unusedPort();
    const error = await unavailable(client({ baseUrl: `http://127.0.0.1:${port}/v2` }).listOrganizations());
    expect(error.reason).toBe('network');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('counts latency against the deadline', async () => {
    emulator.setFault({ kind: 'latency', ms: 1_000 });
    const error = await unavailable(client({ timeoutMs: 250 }).getOrganization(ORG));
    expect(error.reason).toBe('timeout');
  });
});
