/**
 * The unsubscribe link of a reminder e-mail, without login. Opening it (GET) changes nothing
 * (mail scanners open links): it checks the signature, keeps only the user id in the session and
 * redirects, so the token leaves the address bar and the page; the page then asks for a click,
 * a POST with the anonymous forms' CSRF token, which turns the reminders off (audited).
 */
import { Router } from 'express';
import type { AuditTrail } from '../../audit/audit.service.js';
import type { Executor } from '../../db/database.js';
import type { FormCsrf } from '../../web/csrf.js';
import { formBody } from '../../web/form-body.js';
import { getUserRow } from '../../accounts/users.service.js';
import { setPreferences } from '../../accounts/preferences.service.js';
import { actionContext } from '../../accounts/web/request-context.js';
import type { UnsubscribeTokens } from '../unsubscribe-token.js';

declare module 'express-session' {
  interface SessionData {
    /** The user whose unsubscribe link was opened (never the token). */
    unsubscribeUserId?: string;
  }
}

export function unsubscribeRouter(deps: { db: Executor; audit: AuditTrail; now: () => Date; csrf: FormCsrf; tokens: UnsubscribeTokens }): Router {
  const router = Router();
  const userOf = async (userId: string | undefined) => (userId ? getUserRow(deps.db, userId).catch(() => null) : null);

  router.get('/reminders/unsubscribe/:token', (req, res) => {
    const userId = deps.tokens.verify(req.params.token);
    if (userId) req.session.unsubscribeUserId = userId;
    else delete req.session.unsubscribeUserId;
    res.redirect(303, '/reminders/unsubscribe');
  });

  router.get('/reminders/unsubscribe', deps.csrf.expose, async (req, res) => {
    const user = await userOf(req.session.unsubscribeUserId);
    if (!user) return void res.status(404).render('unsubscribe', { state: 'invalid', email: '' });
    res.render('unsubscribe', { state: 'confirm', email: user.email });
  });

  router.post('/reminders/unsubscribe', formBody, deps.csrf.protect, async (req, res) => {
    const user = await userOf(req.session.unsubscribeUserId);
    if (!user) return void res.status(404).render('unsubscribe', { state: 'invalid', email: '' });
    const ctx = { ...actionContext(req, deps.now), actor: null };
    await setPreferences(deps.db, deps.audit, user.id, { reminders: false }, ctx, 'unsubscribe_link');
    delete req.session.unsubscribeUserId;
    res.render('unsubscribe', { state: 'done', email: user.email });
  });
  return router;
}
