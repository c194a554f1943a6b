import axios, { type AxiosInstance } from 'axios';
import type FormData from 'form-data';
import { FacturapiUnavailableError } from './errors.js';

/** One HTTP exchange as the rest of the client sees it: no config, no raw headers. */
export interface TransportResponse {
  status: number;
  body: string;
  logId: string | null;
  retryAfter: string | undefined;
}

/** A request to Facturapi, relative to the base URL. */
export interface TransportRequest {
  method: 'GET' | 'PUT' | 'DELETE';
  /** Path without query, e.g. `/organizations/<id>`; this is also what gets logged. */
  path: string;
  query?: URLSearchParams;
  /** Built per attempt: a form-data stream can only be read once. */
  body?: () => FormData;
}

/** Failure to obtain any response; `retryable` is false once the overall deadline is gone. */
export class TransportFailure extends Error {
  constructor(
    readonly error: FacturapiUnavailableError,
    readonly retryable: boolean,
    /** Short Node/axios error code (e.g. `ECONNREFUSED`) for logs. */
    readonly errorCode: string | null,
  ) {
    super(error.message);
  }
}

/** Creates the single axios instance used for Facturapi. */
export function createTransport(options: { baseUrl: string; userKey: string; idleTimeoutMs: number }) {
  const instance: AxiosInstance = axios.create({
    baseURL: options.baseUrl.replace(/\/+$/, ''),
    // axios would otherwise follow HTTP(S)_PROXY from the environment, even for loopback.
    proxy: false,
    maxRedirects: 0,
    // Idle-socket timeout only; the caller's AbortSignal is the real deadline.
    timeout: options.idleTimeoutMs,
    // Every status is classified by us, and bodies are parsed by us (malformed JSON is a signal).
    validateStatus: () => true,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    maxContentLength: 10 * 1024 * 1024,
    maxBodyLength: 1024 * 1024,
    headers: { Authorization: `Bearer ${options.userKey}`, Accept: 'application/json' },
  });

  /** Sends one attempt. Throws {@link TransportFailure} when no response arrived. */
  async function send(request: TransportRequest, deadline: AbortSignal): Promise<TransportResponse> {
    const query = request.query?.toString();
    try {
      const response = await instance.request<string>({
        method: request.method,
        url: query ? `${request.path}?${query}` : request.path,
        data: request.body?.(),
        signal: deadline,
      });
      return {
        status: response.status,
        body: typeof response.data === 'string' ? response.data : '',
        logId: headerValue(response.headers['x-facturapi-log-id']),
        retryAfter: headerValue(response.headers['retry-after']) ?? undefined,
      };
    } catch (error) {
      throw toTransportFailure(error, deadline);
    }
  }

  return { send };
}

/** Translates whatever axios threw into our vocabulary, dropping the AxiosError itself. */
function toTransportFailure(error: unknown, deadline: AbortSignal): TransportFailure {
  const code = axios.isAxiosError(error) ? (error.code ?? null) : null;
  if (deadline.aborted) {
    return new TransportFailure(new FacturapiUnavailableError({ reason: 'timeout', detail: 'deadline' }), false, code);
  }
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
    return new TransportFailure(new FacturapiUnavailableError({ reason: 'timeout', detail: 'idle' }), true, code);
  }
  // axios also says ERR_BAD_RESPONSE when the connection dies mid-body; only an oversized
  // body is a bad answer, a cut one is a network failure worth retrying.
  const message = error instanceof Error ? error.message : '';
  if (code === 'ERR_FR_MAX_CONTENT_LENGTH_EXCEEDED' || message.startsWith('maxContentLength')) {
    return new TransportFailure(new FacturapiUnavailableError({ reason: 'bad_response', detail: 'response too large' }), false, code);
  }
  const detail = code ?? 'unknown transport error';
  return new TransportFailure(new FacturapiUnavailableError({ reason: 'network', detail }), true, code);
}

function headerValue(value: unknown): string | null {
  if (typeof value === 'string' && value !== '') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return null;
}
