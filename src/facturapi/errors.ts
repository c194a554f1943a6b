/*
 * Our own error vocabulary for Facturapi calls. These errors deliberately carry no request
 * config, headers or bodies (an AxiosError holds the Bearer key several times over), so they
 * are safe to log and to pass around.
 */

/** Base class of every error the Facturapi client throws. */
export class FacturapiError extends Error {
  override name = 'FacturapiError';
}

/** Facturapi answered 4xx (other than 401): the request itself was refused. */
export class FacturapiRejectedError extends FacturapiError {
  override name = 'FacturapiRejectedError';
  readonly status: number;
  /** Lower-case Facturapi error code (e.g. `private_key_password_incorrect`), null if absent. */
  readonly code: string | null;
  /** `X-Facturapi-Log-Id`, for Facturapi's support. */
  readonly logId: string | null;

  /** `message` is Facturapi's own (Spanish) message, or a neutral fallback when it sent none. */
  constructor(init: { status: number; code: string | null; message: string; logId: string | null }) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.logId = init.logId;
  }
}

/** Facturapi answered 401: our user key is wrong, revoked or missing. An operator problem. */
export class FacturapiUnauthorizedError extends FacturapiError {
  override name = 'FacturapiUnauthorizedError';
  readonly status: number;
  readonly code: string | null;
  readonly logId: string | null;

  constructor(init: { status: number; code: string | null; logId: string | null }) {
    super('Facturapi rejected our user key; check FACTURAPI_USER_KEY');
    this.status = init.status;
    this.code = init.code;
    this.logId = init.logId;
  }
}

/** Why Facturapi could not give a usable answer. */
export type UnavailableReason = 'timeout' | 'network' | 'server' | 'rate_limited' | 'bad_response';

/** Facturapi could not be reached or gave no usable answer (5xx, timeout, network, 429, junk). */
export class FacturapiUnavailableError extends FacturapiError {
  override name = 'FacturapiUnavailableError';
  readonly reason: UnavailableReason;
  readonly status: number | undefined;
  readonly logId: string | undefined;

  /** `detail` is a short technical hint (e.g. `ECONNREFUSED`), never a body or a header. */
  constructor(init: { reason: UnavailableReason; status?: number; logId?: string; detail?: string }) {
    const parts = [init.reason, init.status ? `HTTP ${init.status}` : null, init.detail ?? null];
    super(`Facturapi unavailable (${parts.filter(Boolean).join(', ')})`);
    this.reason = init.reason;
    this.status = init.status;
    this.logId = init.logId;
  }
}

/** We refused to send a request because an id is not a Facturapi (24-hex) id. */
export class FacturapiInvalidIdError extends FacturapiError {
  override name = 'FacturapiInvalidIdError';

  constructor() {
    // The offending value is not echoed: it may come straight from user input.
    super('Not a Facturapi organization id (expected 24 hexadecimal characters)');
  }
}
