import {
  FacturapiRejectedError,
  FacturapiUnauthorizedError,
  FacturapiUnavailableError,
  type FacturapiError,
} from './errors.js';

/** The parts of an HTTP response the classifier needs; nothing else leaves the transport. */
export interface RawResponse {
  status: number;
  body: string;
  logId: string | null;
}

/** What to do with one HTTP response. */
export type Classification =
  | { kind: 'ok'; json: unknown }
  | { kind: 'fail'; error: FacturapiError; retryable: boolean; code: string | null };

interface ErrorBody {
  message: string | null;
  code: string | null;
}

/** Reads Facturapi's error body if it is one; tolerates non-JSON, empty and code-less bodies. */
export function readErrorBody(body: string): ErrorBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { message: null, code: null };
  }
  if (typeof parsed !== 'object' || parsed === null) return { message: null, code: null };
  const record = parsed as Record<string, unknown>;
  const message =
    typeof record.message === 'string' && record.message.trim() !== '' ? record.message : null;
  // Before mid-2026 Facturapi sent upper-case codes; today's are lower-case.
  const code =
    typeof record.code === 'string' && record.code.trim() !== ''
      ? record.code.trim().toLowerCase()
      : null;
  return { message, code };
}

/**
 * Turns one response into success or one of our errors. Transport failures (no response at
 * all) are handled by the client, not here.
 */
export function classifyResponse(response: RawResponse): Classification {
  const { status, body, logId } = response;
  if (status >= 200 && status < 300) {
    if (body.trim() === '') return { kind: 'ok', json: null };
    try {
      return { kind: 'ok', json: JSON.parse(body) as unknown };
    } catch {
      const error = new FacturapiUnavailableError({ reason: 'bad_response', status, ...optionalLogId(logId), detail: 'malformed JSON' });
      return { kind: 'fail', error, retryable: false, code: null };
    }
  }
  const { message, code } = readErrorBody(body);
  if (status === 401) {
    return { kind: 'fail', error: new FacturapiUnauthorizedError({ status, code, logId }), retryable: false, code };
  }
  if (status === 429) {
    const error = new FacturapiUnavailableError({ reason: 'rate_limited', status, ...optionalLogId(logId) });
    return { kind: 'fail', error, retryable: true, code };
  }
  if (status >= 400 && status < 500) {
    const error = new FacturapiRejectedError({
      status,
      code,
      message: message ?? `Facturapi rejected the request (HTTP ${status})`,
      logId,
    });
    return { kind: 'fail', error, retryable: false, code };
  }
  if (status >= 500) {
    const error = new FacturapiUnavailableError({ reason: 'server', status, ...optionalLogId(logId) });
    return { kind: 'fail', error, retryable: true, code };
  }
  // 1xx/3xx: we never follow redirects, so any of these is an answer we cannot use.
  const error = new FacturapiUnavailableError({ reason: 'bad_response', status, ...optionalLogId(logId) });
  return { kind: 'fail', error, retryable: false, code };
}

function optionalLogId(logId: string | null): { logId?: string } {
  return logId === null ? {} : { logId };
}
