import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createFacturapiClient } from './client.js';
import { FacturapiRejectedError, FacturapiUnauthorizedError, FacturapiUnavailableError } from './errors.js';
import { startScriptedServer, type ScriptedHandler, type ScriptedServer } from '../../test/support/scripted-server.js';

const ORG = '65a1c0de0000000000000002';
const NOW = new Date('2026-01-15T12:00:00Z');
let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function callWith(handler: ScriptedHandler, timeoutMs = 2_000) {
  server = await startScriptedServer(handler);
  const client = createFacturapiClient({ baseUrl: server.url, userKey: 'sk_user_x', timeoutMs, now: () => NOW, retry: { baseDelayMs: 1 } });
  return client.getOrganization(ORG).then(() => null, (e: unknown) => e);
}

function reply(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'X-Facturapi-Log-Id': 'log-123', ...headers }).end(body);
}

describe('Facturapi client with unusual response shapes', () => {
  it('lower-cases the upper-case codes of older responses', async () => {
    const error = await callWith((_q, res) => reply(res, 400, JSON.stringify({ ok: false, message: 'Contraseña incorrecta', code: 'PRIVATE_KEY_PASSWORD_INCORRECT' })));
    expect(error).toBeInstanceOf(FacturapiRejectedError);
    expect(error).toMatchObject({ code: 'private_key_password_incorrect', message: 'Contraseña incorrecta', logId: 'log-123' });
  });

  it('accepts an error body without a code', async () => {
    const error = await callWith((_q, res) => reply(res, 400, JSON.stringify({ ok: false, message: 'El certificado no es un CSD válido.' })));
    expect(error).toMatchObject({ name: 'FacturapiRejectedError', status: 400, code: null, message: 'El certificado no es un CSD válido.' });
  });

  it('accepts a non-JSON error body and uses a neutral message', async () => {
    const error = await callWith((_q, res) => reply(res, 403, '<html>Forbidden</html>', { 'Content-Type': 'text/html' }));
    expect(error).toMatchObject({ name: 'FacturapiRejectedError', status: 403, code: null, message: 'Facturapi rejected the request (HTTP 403)' });
  });

  it('accepts an empty error body', async () => {
    const error = await callWith((_q, res) => reply(res, 422, ''));
    expect(error).toMatchObject({ status: 422, code: null, logId: 'log-123' });
  });

  it('maps the 2020-style 401 body to FacturapiUnauthorizedError', async () => {
    const error = await callWith((_q, res) => reply(res, 401, '{"message":"Not authenticated","ok":false}'));
    expect(error).toBeInstanceOf(FacturapiUnauthorizedError);
    expect(error).toMatchObject({ code: null, logId: 'log-123' });
  });

  it('treats a 2xx of the wrong shape as bad_response', async () => {
    const error = await callWith((_q, res) => reply(res, 200, '{"hello":"world"}', { 'Content-Type': 'application/json' }));
    expect(error).toMatchObject({ name: 'FacturapiUnavailableError', reason: 'bad_response' });
  });

  it('does not follow a redirect', async () => {
    const error = await callWith((_q, res) => reply(res, 302, '', { Location: 'http://127.0.0.1:1/elsewhere' }));
    expect(error).toMatchObject({ name: 'FacturapiUnavailableError', reason: 'bad_response', status: 302 });
    expect(server?.count).toBe(1);
  });

  it('honours a Retry-After given as an HTTP date', async () => {
    const error = await callWith((_q, res, index) => {
      if (index === 0) reply(res, 429, '{}', { 'Retry-After': new Date(NOW.getTime() + 50).toUTCString() });
      else reply(res, 500, '{}');
    });
    // The date rounds to whole seconds, so it is at most 0 s away: retried, then bounded retries.
    expect(error).toMatchObject({ reason: 'server' });
    expect(server?.count).toBe(3);
  });

  it('gives up on a Retry-After date beyond maxRetryAfterMs', async () => {
    const error = await callWith((_q, res) => reply(res, 429, '{}', { 'Retry-After': new Date(NOW.getTime() + 3_600_000).toUTCString() }));
    expect(error).toMatchObject({ reason: 'rate_limited' });
    expect(server?.count).toBe(1);
  });

  it('stops a drip-feeding server at the deadline, which the idle timeout alone would not', async () => {
    const started = performance.now();
    const error = await callWith((_q, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const timer = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(timer));
    }, 400);
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(FacturapiUnavailableError);
    expect(error).toMatchObject({ reason: 'timeout' });
    expect(elapsed).toBeLessThan(1_500);
  });
});
