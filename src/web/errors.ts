/**
 * The small error vocabulary of the web layer. Services throw domain errors; routes translate
 * them into these; the error handler renders them. `expose` says whether the message key may be
 * shown to the user; anything else becomes a generic 500 page with a reference id.
 */
import type { MessageKey } from '../i18n/index.js';

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly messageKey: MessageKey,
    readonly params: Record<string, string | number> = {},
    readonly expose = status < 500,
  ) {
    super(messageKey);
    this.name = new.target.name;
  }
}

export class BadRequestError extends AppError {
  constructor(messageKey: MessageKey = 'error.badRequest', params?: Record<string, string | number>) {
    super(400, messageKey, params);
  }
}

export class NotFoundError extends AppError {
  constructor(messageKey: MessageKey = 'error.notFound') {
    super(404, messageKey);
  }
}

export class ForbiddenError extends AppError {
  constructor(messageKey: MessageKey = 'error.forbidden') {
    super(403, messageKey);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(messageKey: MessageKey = 'error.payloadTooLarge', params?: Record<string, string | number>) {
    super(413, messageKey, params);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'error.tooManyRequests', { minutes: Math.max(1, Math.ceil(retryAfterSeconds / 60)) });
  }
}

/** Facturapi could not be reached or failed; the message is shown, the status is 502/503/504. */
export class UpstreamError extends AppError {
  constructor(status: 502 | 503 | 504, messageKey: MessageKey, params?: Record<string, string | number>) {
    super(status, messageKey, params, true);
  }
}
