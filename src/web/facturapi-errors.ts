/**
 * Turns the Facturapi client's errors into page errors for read-only pages (lists, the
 * organization page). Uploads translate their own outcomes into form messages instead.
 */
import {
  FacturapiInvalidIdError,
  FacturapiRejectedError,
  FacturapiUnauthorizedError,
  FacturapiUnavailableError,
} from '../facturapi/errors.js';
import { NotFoundError, UpstreamError } from './errors.js';

export function toHttpError(error: unknown): unknown {
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
  return error;
}
