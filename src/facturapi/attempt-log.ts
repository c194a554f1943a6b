import type { Logger } from 'pino';
import { FacturapiRejectedError, FacturapiUnauthorizedError, type FacturapiError } from './errors.js';

/**
 * The only fields the client ever logs about a call. A whitelist, not a redaction list:
 * bodies, headers (the Bearer key) and AxiosErrors never reach the logger.
 */
export interface AttemptLogEntry {
  method: string;
  /** Path without query string. */
  path: string;
  status: number | null;
  /** Facturapi's error code, or the transport error code (e.g. `ECONNREFUSED`). */
  code: string | null;
  logId: string | null;
  attempt: number;
  durationMs: number;
}

/** Logs one attempt at a level that matches who has to act on it. */
export function logAttempt(logger: Logger | undefined, entry: AttemptLogEntry, error: FacturapiError | null): void {
  if (!logger) return;
  const fields: AttemptLogEntry = {
    method: entry.method,
    path: entry.path,
    status: entry.status,
    code: entry.code,
    logId: entry.logId,
    attempt: entry.attempt,
    durationMs: entry.durationMs,
  };
  if (error === null) {
    logger.info(fields, 'facturapi call succeeded');
  } else if (error instanceof FacturapiUnauthorizedError) {
    // Operators must notice this one: every upload fails until the key is fixed.
    logger.error(fields, 'Facturapi rejected our user key; check FACTURAPI_USER_KEY');
  } else if (error instanceof FacturapiRejectedError) {
    // Usually the uploader's mistake (wrong password, FIEL instead of CSD): not an incident.
    logger.info(fields, 'facturapi rejected the request');
  } else {
    logger.warn(fields, 'facturapi unavailable');
  }
}
