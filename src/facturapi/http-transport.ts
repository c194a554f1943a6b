import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import type FormData from 'form-data';
import { FacturapiUnavailableError } from './errors.js';

/** Connections to Facturapi kept open at most (per scheme): uploads beyond that queue for one. */
export const DEFAULT_MAX_SOCKETS = 64;
/**
 * An idle connection is closed after this long: well under the idle timeouts servers and load
 * balancers use (Node's 5 s is the shortest common one), so we close first, instead of reusing a
 * connection at the moment the far end drops it.
 */
export const DEFAULT_KEEP_ALIVE_MS = 4_000;

/** One HTTP exchange as the rest of the client sees it: no config, no raw headers. */
export interface TransportResponse {
  status: number;
  body: string;
  logId: string | null;
  retryAfter: string | undefined;
  /**
   * Closes the connection this answer came on if it sits idle in the pool, so the next call
   * starts on a fresh one: for answers we could not use (malformed, of the wrong shape, a 5xx).
   */
  retireConnection(): void;
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

/** Settings of {@link createTransport}. */
export interface TransportOptions {
  baseUrl: string;
  userKey: string;
  /** Idle-socket timeout while a request is in flight. */
  idleTimeoutMs: number;
  maxSockets?: number;
  /** How long an idle connection stays in the pool. */
  keepAliveMs?: number;
}

/** Creates the single axios instance used for Facturapi, over a bounded pool of kept-alive connections. */
export function createTransport(options: TransportOptions) {
  const maxSockets = options.maxSockets ?? DEFAULT_MAX_SOCKETS;
  // LIFO: the most recently used connection goes first, so the surplus after a burst idles out.
  const agentOptions = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets, timeout: options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS, scheduling: 'lifo' as const };
  const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
  const instance: AxiosInstance = axios.create({
    baseURL: options.baseUrl.replace(/\/+$/, ''),
    // axios would otherwise follow HTTP(S)_PROXY from the environment, even for loopback.
    proxy: false,
    httpAgent: agents.http,
    httpsAgent: agents.https,
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
    const form = request.body?.();
    try {
      const response = await instance.request<string>({
        method: request.method,
        url: query ? `${request.path}?${query}` : request.path,
        // The form as one Buffer (it is a few KB, already in memory), not as a stream: axios
        // pipes a form-data stream through stream.pipeline, which misses the end of a form made
        // of Buffers (it is emitted synchronously while piping starts), so the request was never
        // ended and its connection never went back to the pool (issue 14).
        ...(form ? { data: form.getBuffer(), headers: form.getHeaders() } : {}),
        signal: deadline,
      });
      const sent = response.request as http.ClientRequest;
      // A request whose body did not go out in full must not leave its connection behind.
      if (!sent.writableEnded) sent.destroy();
      return {
        status: response.status,
        body: typeof response.data === 'string' ? response.data : '',
        logId: headerValue(response.headers['x-facturapi-log-id']),
        retryAfter: headerValue(response.headers['retry-after']) ?? undefined,
        retireConnection: () => retireIfIdle(sent.socket),
      };
    } catch (error) {
      // No answer: whatever the connection carried is suspect, so it never returns to the pool.
      if (axios.isAxiosError(error)) (error.request as http.ClientRequest | undefined)?.destroy?.();
      throw toTransportFailure(error, deadline);
    }
  }

  /** Destroys `socket` if it is idle in one of our pools; one already lent to another request is left alone. */
  function retireIfIdle(socket: http.ClientRequest['socket']): void {
    if (!socket || socket.destroyed) return;
    for (const agent of [agents.http, agents.https]) {
      if (Object.values(agent.freeSockets).some((idle) => idle?.includes(socket))) socket.destroy();
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
