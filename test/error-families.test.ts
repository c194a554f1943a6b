/**
 * Each family of domain errors is mapped to HTTP once, in the error handler: a route that lets a
 * Facturapi or accounts error through gets the page today's route-by-route translations gave.
 * The routes here throw and translate nothing, so the statuses and messages below come from the
 * handler alone (the real app passes the same families: app.ts).
 */
import express from 'express';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { AccountsError } from '../src/accounts/accounts-errors.js';
import { accountsHttpError } from '../src/accounts/web/accounts-http-errors.js';
import {
  FacturapiInvalidIdError,
  FacturapiRejectedError,
  FacturapiUnauthorizedError,
  FacturapiUnavailableError,
} from '../src/facturapi/errors.js';
import { translator } from '../src/i18n/index.js';
import { createLogger } from '../src/logger.js';
import { LogCapture } from './support/log-capture.js';
import { errorHandler } from '../src/web/error-handler.js';
import { facturapiHttpError } from '../src/web/facturapi-errors.js';

const en = translator('en');
let logs: LogCapture;

function appThrowing(error: unknown): express.Express {
  logs = new LogCapture();
  const app = express();
  app.use((_req, res, next) => {
    res.locals.lang = 'en';
    next();
  });
  app.get('/boom', () => {
    throw error;
  });
  app.use(errorHandler(createLogger({ level: 'debug', destination: logs.stream }), [facturapiHttpError, accountsHttpError]));
  return app;
}

const rejected = (status: number, code: string | null) => new FacturapiRejectedError({ status, code, message: 'El RFC no coincide', logId: 'log-1' });

const cases: [string, unknown, number, string][] = [
  ['an id that is not a Facturapi id', new FacturapiInvalidIdError(), 404, en('error.organizationNotFound')],
  ['Facturapi answering 404', rejected(404, null), 404, en('error.organizationNotFound')],
  ['Facturapi answering 400 organization_not_found', rejected(400, 'organization_not_found'), 404, en('error.organizationNotFound')],
  ['Facturapi rejecting the request', rejected(400, 'invalid_rfc'), 502, en('facturapi.unknown', { message: 'El RFC no coincide' })],
  ['Facturapi refusing our key', new FacturapiUnauthorizedError({ status: 401, code: null, logId: null }), 502, en('facturapi.unauthorized')],
  ['Facturapi rate-limiting us', new FacturapiUnavailableError({ reason: 'rate_limited', status: 429 }), 503, en('facturapi.rateLimited')],
  ['Facturapi timing out', new FacturapiUnavailableError({ reason: 'timeout' }), 504, en('facturapi.unavailable')],
  ['Facturapi failing (5xx)', new FacturapiUnavailableError({ reason: 'server', status: 500 }), 503, en('facturapi.unavailable')],
  ['Facturapi unreachable', new FacturapiUnavailableError({ reason: 'network', detail: 'ECONNREFUSED' }), 503, en('facturapi.unavailable')],
  ['an unknown user', new AccountsError('user_not_found', 'No such user'), 404, en('accounts.user_not_found')],
  ['an accounts refusal', new AccountsError('email_taken', 'taken'), 400, en('accounts.email_taken')],
  ['a refused password', new AccountsError('password_policy', 'policy', 'too_short'), 400, en('password.too_short')],
  ['input that fails its schema', new ZodError([]), 400, en('error.badRequest')],
];

describe('the error handler', () => {
  afterEach(() => {
    logs.stream.destroy();
  });

  it.each(cases)('when a route lets %s through, then it answers with its status and message', async (_name, error, status, message) => {
    const res = await request(appThrowing(error)).get('/boom').set('Accept', 'application/json');
    expect(res.status).toBe(status);
    expect(res.body.error.message).toBe(message);
  });

  it('when an error of no family is thrown, then it is a 500 that shows nothing of it, and the log has it', async () => {
    const res = await request(appThrowing(new Error('database is locked at /secret/path'))).get('/boom').set('Accept', 'application/json');
    expect(res.status).toBe(500);
    expect(res.body.error.message).toBe(en('error.internal'));
    expect(res.text).not.toContain('/secret/path');
    expect(logs.text).toContain('database is locked');
  });

  it('when Facturapi fails, then the log names its own error, not only the page it became', async () => {
    await request(appThrowing(new FacturapiUnavailableError({ reason: 'network', detail: 'ECONNREFUSED' }))).get('/boom').set('Accept', 'application/json');
    expect(logs.text).toContain('FacturapiUnavailableError');
    expect(logs.text).toContain('ECONNREFUSED');
  });
});
