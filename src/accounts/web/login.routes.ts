/**
 * Login and logout. One message for an unknown e-mail, a wrong password or a disabled account;
 * the session id is regenerated at login (no session fixation); logout is a POST with CSRF.
 * The login form stores nothing for an anonymous visitor: its CSRF token is a signed double-submit
 * pair (web/csrf.ts) and the session is created only by a successful login. Failures and lockouts
 * are audited through the refusal audit (one row per client, e-mail and window, with a count), and
 * the typed e-mail only when it looks like one (typed-email.ts).
 */
import { Router, type Request } from 'express';
import type { AuditTrail } from '../../audit/audit.service.js';
import type { RefusalAudit } from '../../audit/refusal-audit.js';
import type { Executor } from '../../db/database.js';
import { safeReturnPath } from './authenticate.js';
import { csrfProtection } from '../../web/csrf.js';
import type { FormCsrf } from '../../web/csrf.js';
import { actionContext } from './request-context.js';
import { auditOrigin } from '../../audit/action-context.js';
import { authenticate, recordLogin } from '../auth.service.js';
import { formBody } from '../../web/form-body.js';
import { takeFlash } from '../../web/flash.js';
import { loginLimiters, type RateLimitSettings } from './rate-limits.js';
import type { StoreFactory } from './clocked-memory-store.js';
import { loginForm } from './login.schema.js';
import { typedEmail } from './typed-email.js';
import { validate } from '../../web/validate.js';

export interface LoginDeps {
  db: Executor;
  audit: AuditTrail;
  now: () => Date;
  /** Where the login limiters count (shared by instances on PostgreSQL); in memory when absent. */
  limitStores?: StoreFactory | undefined;
  limits: RateLimitSettings;
  /** The anonymous forms' CSRF check. */
  csrf: FormCsrf;
  refusals: RefusalAudit;
}

const regenerate = (req: Request) => new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
const destroy = (req: Request) => new Promise<void>((resolve) => req.session.destroy(() => resolve()));

export function loginRouter(deps: LoginDeps): Router {
  const router = Router();
  const audit = (req: Request, action: 'login.failure' | 'login.lockout', outcome: 'failure' | 'denied', reason: string, email: unknown) => {
    const ctx = actionContext(req, deps.now);
    return deps.refusals.record({ ...auditOrigin(ctx), action, outcome, reason, ...typedEmail(email) });
  };

  router.get('/login', deps.csrf.expose, (req, res) => {
    if (req.session.userId) return res.redirect(303, '/');
    // After logout the session is gone, so the confirmation rides on the redirect's query (it says nothing secret).
    const signedOut = req.query.signedOut === '1' ? { kind: 'info' as const, key: 'login.signedOut' } : undefined;
    res.render('login', { email: '', next: safeReturnPath(req.query.next) ?? '', error: null, flash: takeFlash(req) ?? signedOut });
  });

  router.post(
    '/login',
    formBody,
    deps.csrf.protect,
    // A lockout's reason says whose limit it was: this client's for the e-mail, or the e-mail's own.
    ...loginLimiters(deps.limits, (req, lockout) => audit(req, 'login.lockout', 'denied', `${lockout.scope}_limit`, (req.body as Record<string, unknown> | undefined)?.email), deps.now, deps.limitStores),
    async (req, res) => {
      const input = validate(loginForm, req.body);
      const result = await authenticate(deps.db, input.email, input.password);
      if (!result.ok) {
        await audit(req, 'login.failure', 'failure', result.reason, input.email);
        res.locals.csrfToken = deps.csrf.token(req, res);
        res.status(401).render('login', { email: input.email, next: safeReturnPath(input.next) ?? '', error: 'login.failed', flash: null });
        return;
      }
      await regenerate(req);
      req.session.userId = result.user.id;
      await recordLogin(deps.db, deps.audit, result.user, actionContext(req, deps.now));
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
    res.redirect(303, '/login?signedOut=1');
  });
  return router;
}
