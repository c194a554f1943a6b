/**
 * CSRF protection that stores nothing: every form carries `_csrf` (or the `X-CSRF-Token` header),
 * an HMAC under a key derived from the session secret, that another site can neither read nor
 * compute.
 *
 * - Signed-in forms: HMAC(key, session id). Bound to the session: a token works only with the
 *   cookie of the session it was made for, changes when login regenerates the session, and is
 *   never written anywhere (the sessions table keeps only a hash of the id, and nothing of the
 *   token: README, "CSRF tokens never appear in stored sessions").
 * - Anonymous forms (login, set-password): a signed double-submit pair. The browser holds a random
 *   nonce in an httpOnly, SameSite=Lax cookie, the form carries HMAC(key, nonce); a visitor needs
 *   no stored session (issue 9, item 4). A cookie planted by a sibling subdomain is useless
 *   without the key (and, with `__Host-`, refused by the browser).
 *
 * Each kind has a key of its own, so neither token can stand in for the other, nor for a
 * session-cookie signature. On the multipart upload the token is inside the body, so there the
 * check runs after multer (docs/stack.md pitfall 5). A missing or wrong token is a 403 that
 * explains the form expired, audited by `csrfErrorTranslator`.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { ActionContext } from '../audit/action-context.js';
import { auditOrigin } from '../audit/action-context.js';
import type { RefusalAudit } from '../audit/refusal-audit.js';
import { isOrganizationId } from '../facturapi/organization-id.js';
import { cookieValue, type CookiePolicy } from './cookies.js';
import { ForbiddenError } from './errors.js';

export const FORM_CSRF_COOKIE = 'csd_relay_csrf';
const NONCE = /^[A-Za-z0-9_-]{24}$/;

/** The error every CSRF check fails with; the translator below audits it. */
export class CsrfError extends ForbiddenError {
  constructor() {
    super('error.csrf');
  }
}

/** The anonymous forms' protection. */
export interface FormCsrf {
  /** Puts the form's token in `res.locals.csrfToken`, setting the nonce cookie when missing. */
  expose: RequestHandler;
  /** Refuses (403) a POST whose token does not match its cookie. */
  protect: RequestHandler;
  /** The token for this response (a form shown again after an error). */
  token(req: Request, res: Response): string;
}

export interface Csrf {
  /** For signed-in requests (mounted once, after authentication): the session's token in `res.locals.csrfToken`. */
  session: RequestHandler;
  /** For the forms of people who are not signed in. */
  forms: FormCsrf;
}

/** The token each signed-in request's session expects, set by `Csrf.session` and read by `csrfProtection`. */
const expectedTokens = new WeakMap<Request, string>();

const sign = (key: Buffer, value: string) => createHmac('sha256', key).update(value).digest('base64url');

function sameToken(sent: unknown, expected: string | undefined): boolean {
  if (typeof sent !== 'string' || expected === undefined) return false;
  const given = Buffer.from(sent);
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

function sentToken(req: Request): unknown {
  const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
  return typeof fromBody === 'string' ? fromBody : req.headers['x-csrf-token'];
}

export function createCsrf(options: { secret: string; cookies: CookiePolicy }): Csrf {
  const sessionKey = createHmac('sha256', options.secret).update('csd-relay session csrf v1').digest();
  const formKey = createHmac('sha256', options.secret).update('csd-relay form csrf v1').digest();
  const cookieName = options.cookies.name(FORM_CSRF_COOKIE);
  const nonceOf = (req: Request) => {
    const value = cookieValue(req.headers.cookie, cookieName);
    return value && NONCE.test(value) ? value : undefined;
  };

  const formToken = (req: Request, res: Response): string => {
    // Reuse the nonce of this response (already issued) or of the request.
    let nonce = (res.locals.formCsrfNonce as string | undefined) ?? nonceOf(req);
    if (!nonce) {
      nonce = randomBytes(18).toString('base64url');
      // No Max-Age: it ends with the browser session, like the session cookie.
      res.cookie(cookieName, nonce, { httpOnly: true, sameSite: 'lax', secure: options.cookies.secure, path: '/' });
    }
    res.locals.formCsrfNonce = nonce;
    return sign(formKey, nonce);
  };

  return {
    session: (req, res, next) => {
      const token = sign(sessionKey, req.sessionID);
      expectedTokens.set(req, token);
      res.locals.csrfToken = token;
      next();
    },
    forms: {
      token: formToken,
      expose: (req, res, next) => {
        res.locals.csrfToken = formToken(req, res);
        next();
      },
      protect: (req, _res, next) => {
        const nonce = nonceOf(req);
        next(nonce && sameToken((req.body as Record<string, unknown> | undefined)?._csrf, sign(formKey, nonce)) ? undefined : new CsrfError());
      },
    },
  };
}

/**
 * Checks the token of a signed-in, state-changing request against its session's (fails closed
 * when `Csrf.session` did not run for the request).
 */
export const csrfProtection: RequestHandler = (req, _res, next) => {
  // Reading changes nothing: a check mounted in front of a whole router lets reads through.
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
  next(sameToken(sentToken(req), expectedTokens.get(req)) ? undefined : new CsrfError());
};

/**
 * Audits a CSRF refusal and passes it on to the error handler (403, "the form expired"): one row
 * per client (and person, when signed in) and window with a count, so a flood of forged posts
 * cannot grow the trail. `context` says who and where (accounts' request context).
 */
export function csrfErrorTranslator(deps: { refusals: RefusalAudit; context: (req: Request) => ActionContext }): ErrorRequestHandler {
  return async (err, req, _res, next) => {
    if (!(err instanceof CsrfError)) return next(err);
    const organizationId = isOrganizationId(req.params?.organizationId) ? req.params.organizationId : null;
    await deps.refusals.record({ ...auditOrigin(deps.context(req)), organizationId, action: 'access.denied', outcome: 'denied', reason: 'csrf', detail: { method: req.method } });
    next(err);
  };
}
