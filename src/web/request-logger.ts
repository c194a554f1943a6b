/**
 * Request ids and access logs. Behind trusted proxy hops (TRUST_PROXY_HOPS > 0) a well-formed
 * incoming X-Request-Id is kept, so the proxy's id follows the request; without one the header is
 * the client's to choose (an id issued to someone else's request, say, to be logged and audited
 * again), so the app always makes its own. It is echoed in the response and shown on error pages.
 * The serializers are whitelists: pino-http's defaults log cookies, Authorization and full query
 * strings (docs/stack.md pitfall 11).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logger.js';

const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{8,64}$/;

/**
 * One-time and signed link paths carry the token itself: `/account/set-password/<token>`,
 * `/reminders/unsubscribe/<token>`, `/reminders/contact-unsubscribe/<token>`, `/upload-requests/<token>`.
 */
const TOKEN_PATH = /^(\/account\/set-password\/|\/reminders\/unsubscribe\/|\/reminders\/contact-unsubscribe\/|\/upload-requests\/)[^/]+/;

/** Path without the query string (queries may carry tokens or search terms) and without link tokens. */
export function pathOnly(url: string | undefined): string {
  return ((url ?? '').split('?')[0] ?? '').replace(TOKEN_PATH, '$1[redacted]');
}

export function requestLogger(logger: Logger, options: { trustIncomingId: boolean }) {
  return pinoHttp({
    logger,
    genReqId(req: IncomingMessage, res: ServerResponse) {
      const incoming = options.trustIncomingId ? req.headers['x-request-id'] : undefined;
      const id = typeof incoming === 'string' && VALID_REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // Health checks every few seconds would drown the useful lines.
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    customProps: (_req, res) => {
      const locals = (res as ServerResponse & { locals?: Record<string, unknown> }).locals ?? {};
      return {
        ...(typeof locals.userId === 'string' ? { userId: locals.userId } : {}),
        ...(typeof locals.organizationId === 'string' ? { organizationId: locals.organizationId } : {}),
      };
    },
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, path: pathOnly(req.url) }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      err: (err: Error & { code?: unknown }) => ({ type: err.name, message: err.message, code: err.code, stack: err.stack }),
    },
  });
}
