/**
 * CSRF protection with csrf-sync (synchroniser token kept in the session) for signed-in forms;
 * the login and set-password forms use a signed double-submit token instead (form-csrf.ts), so
 * anonymous visitors need no stored session. Every form carries `_csrf`; on the multipart upload
 * the token is inside the multipart body, so there the check runs after multer (docs/stack.md
 * pitfall 5). A missing or wrong token is a 403 that explains the form expired.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';
import { auditOrigin } from '../audit/action-context.js';
import { isOrganizationId } from '../facturapi/organization-id.js';
import type { RefusalAudit } from '../audit/refusal-audit.js';
import { ForbiddenError } from './errors.js';
import { actionContext } from '../accounts/web/request-context.js';

const { csrfSynchronisedProtection, generateToken, invalidCsrfTokenError } = csrfSync({
  getTokenFromRequest: (req) => {
    const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
    if (typeof fromBody === 'string') return fromBody;
    const header = req.headers['x-csrf-token'];
    return typeof header === 'string' ? header : undefined;
  },
});

/** The error both CSRF checks fail with; the translator below answers it. */
export const csrfRefused: unknown = invalidCsrfTokenError;

/** The session's token (created on first use). */
export const generateCsrfToken = (req: Parameters<typeof generateToken>[0]): string => generateToken(req);

/** Puts the session's token in `res.locals.csrfToken` for the forms of the page. */
export const exposeCsrfToken: RequestHandler = (req, res, next) => {
  res.locals.csrfToken = generateToken(req);
  next();
};

/** Checks the token of a state-changing request. */
export const csrfProtection: RequestHandler = csrfSynchronisedProtection;

/**
 * Turns a CSRF refusal into our 403 with a helpful message, and audits it: one row per client (and
 * person, when signed in) and window with a count, so a flood of forged posts cannot grow the trail.
 */
export function csrfErrorTranslator(deps: { refusals: RefusalAudit; now: () => Date }): ErrorRequestHandler {
  return async (err, req, _res, next) => {
    if (err !== invalidCsrfTokenError) return next(err);
    const ctx = actionContext(req, deps.now);
    const organizationId = isOrganizationId(req.params?.organizationId) ? req.params.organizationId : null;
    await deps.refusals.record({ ...auditOrigin(ctx), organizationId, action: 'access.denied', outcome: 'denied', reason: 'csrf', detail: { method: req.method } });
    next(new CsrfError());
  };
}

export class CsrfError extends ForbiddenError {
  constructor() {
    super('error.csrf');
  }
}
