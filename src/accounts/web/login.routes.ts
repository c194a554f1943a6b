/**
 * Login and logout. One message for an unknown e-mail, a wrong password or a disabled account;
 * the session id is regenerated at login (no session fixation); logout is a POST with CSRF.
 */
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { AuditTrail } from '../../audit/audit.service.js';
import type { Executor } from '../../db/database.js';
import { safeReturnPath } from '../../http/authenticate.js';
import { csrfProtection, exposeCsrfToken, generateCsrfToken } from '../../http/csrf.js';
import { actionContext } from '../../http/request-context.js';
import { auditOrigin } from '../action-context.js';
import { authenticate, recordLogin } from '../auth.service.js';
import { formBody } from '../../http/form-body.js';
import { takeFlash } from '../../http/flash.js';
import { loginLimiters, type RateLimitSettings } from './rate-limits.js';

export interface LoginDeps {
  db: Executor;
  audit: AuditTrail;
  now: () => Date;
  limits: RateLimitSettings;
}

const loginForm = z.object({
  email: z.string().trim().max(254).default(''),
  password: z.string().max(1024).default(''),
  next: z.string().max(500).optional(),
  _csrf: z.string().optional(),
});

const regenerate = (req: Request) => new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
const destroy = (req: Request) => new Promise<void>((resolve) => req.session.destroy(() => resolve()));

export function loginRouter(deps: LoginDeps): Router {
  const router = Router();
  const audit = (req: Request, action: 'login.failure' | 'login.lockout', outcome: 'failure' | 'denied', detail: Record<string, string>) => {
    const ctx = actionContext(req, deps.now);
    return deps.audit.record({ ...auditOrigin(ctx), action, outcome, detail });
  };

  router.get('/login', exposeCsrfToken, (req, res) => {
    if (req.session.userId) return res.redirect(303, '/');
    res.render('login', { email: '', next: safeReturnPath(req.query.next) ?? '', error: null, flash: takeFlash(req) });
  });

  router.post(
    '/login',
    formBody,
    csrfProtection,
    ...loginLimiters(deps.limits, (req, lockout) => audit(req, 'login.lockout', 'denied', { email: z.string().safeParse(req.body?.email).data?.slice(0, 254) ?? '', scope: lockout.scope }), deps.now),
    async (req, res) => {
      const input = loginForm.parse(req.body ?? {});
      const result = await authenticate(deps.db, input.email, input.password);
      if (!result.ok) {
        await audit(req, 'login.failure', 'failure', { email: input.email.slice(0, 254), reason: result.reason });
        res.locals.csrfToken = generateCsrfToken(req);
        res.status(401).render('login', { email: input.email, next: safeReturnPath(input.next) ?? '', error: 'login.failed', flash: null });
        return;
      }
      await regenerate(req);
      req.session.userId = result.user.id;
      await recordLogin(deps.db, result.user, actionContext(req, deps.now));
      res.redirect(303, safeReturnPath(input.next) ?? '/');
    },
  );

  return router;
}

/** Mounted after authentication: only a signed-in user can log out. */
export function logoutRouter(deps: Pick<LoginDeps, 'audit' | 'now'>): Router {
  const router = Router();
  router.post('/logout', formBody, csrfProtection, async (req, res) => {
    const ctx = actionContext(req, deps.now);
    await deps.audit.record({ ...auditOrigin(ctx), action: 'logout', outcome: 'success' });
    await destroy(req);
    res.redirect(303, '/login');
  });
  return router;
}
