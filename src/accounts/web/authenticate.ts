/**
 * The authentication slot: every route after it needs a signed-in, enabled user. The user is
 * reloaded from the database on each request, so a disabled user is out at once. Pages redirect
 * to the login form (remembering where the person was going); anything else gets a 401.
 */
import type { RequestHandler } from 'express';
import { can, type RuleName } from '../policies.js';
import { getActor } from '../users.service.js';
import type { Executor } from '../../db/database.js';
import { AppError } from '../../web/errors.js';

/** Only same-site paths are accepted as a place to return to (no open redirects). */
export function safeReturnPath(value: unknown): string | null {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return null;
  return value.length <= 500 ? value : null;
}

export function authenticate(db: Executor): RequestHandler {
  return async (req, res, next) => {
    const userId = req.session?.userId;
    if (userId) {
      const user = await getActor(db, userId);
      if (user) {
        req.user = user;
        res.locals.currentUser = user;
        res.locals.userId = user.id;
        // Pages ask the policies what this person may do (see policies.ts: can).
        res.locals.can = (rule: RuleName, organizationId?: string) => can(user, rule, organizationId);
        return next();
      }
      // Disabled or deleted while signed in: end the session now.
      await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
    }
    if (req.method === 'GET' && req.accepts(['html', 'json']) === 'html') {
      const next = safeReturnPath(req.originalUrl);
      res.redirect(303, next && next !== '/' ? `/login?${new URLSearchParams({ next })}` : '/login');
      return;
    }
    next(new AppError(401, 'error.loginRequired'));
  };
}
