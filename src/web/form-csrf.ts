/**
 * CSRF for the forms people use before they are signed in (login, set-password), without storing
 * anything: a signed double-submit token. The browser holds a random nonce in an httpOnly,
 * SameSite=Lax cookie; the form carries HMAC(secret, nonce). A POST passes only when both arrive
 * and match, so a stored session per visitor is not needed (issue 9, item 4: every anonymous
 * GET /login used to write a session row). Another site can neither read the cookie nor compute the
 * HMAC, and a cookie planted by a sibling subdomain is useless without the secret (and, with
 * `__Host-`, refused by the browser). Signed-in forms keep the session's synchroniser token
 * (csrf.ts).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { cookieValue, type CookiePolicy } from './cookies.js';
import { csrfRefused } from './csrf.js';

export const FORM_CSRF_COOKIE = 'csd_relay_csrf';
const NONCE = /^[A-Za-z0-9_-]{24}$/;

export interface FormCsrf {
  /** Puts the form's token in `res.locals.csrfToken`, setting the nonce cookie when missing. */
  expose: RequestHandler;
  /** Refuses (403, through the CSRF translator) a POST whose token does not match its cookie. */
  protect: RequestHandler;
  /** The token for this response (a form shown again after an error). */
  token(req: Request, res: Response): string;
}

export function createFormCsrf(options: { secret: string; cookies: CookiePolicy }): FormCsrf {
  // A key of its own, so a form token can never double as a session-cookie signature.
  const key = createHmac('sha256', options.secret).update('csd-relay form csrf v1').digest();
  const cookieName = options.cookies.name(FORM_CSRF_COOKIE);
  const sign = (nonce: string) => createHmac('sha256', key).update(nonce).digest('base64url');
  const nonceOf = (req: Request) => {
    const value = cookieValue(req.headers.cookie, cookieName);
    return value && NONCE.test(value) ? value : undefined;
  };

  const token = (req: Request, res: Response): string => {
    // Reuse the nonce of this response (already issued) or of the request.
    let nonce = (res.locals.formCsrfNonce as string | undefined) ?? nonceOf(req);
    if (!nonce) {
      nonce = randomBytes(18).toString('base64url');
      // No Max-Age: it ends with the browser session, like the session cookie.
      res.cookie(cookieName, nonce, { httpOnly: true, sameSite: 'lax', secure: options.cookies.secure, path: '/' });
    }
    res.locals.formCsrfNonce = nonce;
    return sign(nonce);
  };

  return {
    token,
    expose: (req, res, next) => {
      res.locals.csrfToken = token(req, res);
      next();
    },
    protect: (req, _res, next) => {
      const nonce = nonceOf(req);
      const sent = (req.body as Record<string, unknown> | undefined)?._csrf;
      if (!nonce || typeof sent !== 'string') return next(csrfRefused);
      const expected = Buffer.from(sign(nonce));
      const given = Buffer.from(sent);
      next(given.length === expected.length && timingSafeEqual(given, expected) ? undefined : csrfRefused);
    },
  };
}
