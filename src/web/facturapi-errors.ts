/**
 * How the Facturapi client's errors look on a page, mapped once, in the error handler (app.ts
 * passes this family to it): an unknown organization is a 404, a refusal, our key being refused
 * or Facturapi being unavailable a 502/503/504 with a message that says which. Uploads do not
 * throw these: their use case returns the outcome and the form shows it.
 */
import {
  FacturapiInvalidIdError,
  FacturapiRejectedError,
  FacturapiUnauthorizedError,
  FacturapiUnavailableError,
} from '../facturapi/errors.js';
import { NotFoundError, UpstreamError, type AppError } from './errors.js';

/** The page error for a Facturapi error; undefined for anything else. */
export function facturapiHttpError(error: unknown): AppError | undefined {
  if (error instanceof FacturapiInvalidIdError) return new NotFoundError('error.organizationNotFound');
  if (error instanceof FacturapiRejectedError) {
    // Facturapi has answered an unknown organization both as 404 and as 400.
    if (error.status === 404 || error.code === 'organization_not_found') return new NotFoundError('error.organizationNotFound');
    return new UpstreamError(502, 'facturapi.unknown', { message: error.message });
  }
  if (error instanceof FacturapiUnauthorizedError) return new UpstreamError(502, 'facturapi.unauthorized');
  if (error instanceof FacturapiUnavailableError) {
    if (error.reason === 'rate_limited') return new UpstreamError(503, 'facturapi.rateLimited');
    return new UpstreamError(error.reason === 'timeout' ? 504 : 503, 'facturapi.unavailable');
  }
  return undefined;
}

