/**
 * One-time links (first-run setup, invitations, password resets). Opening the link looks the
 * token up, keeps only the link's id in the session and redirects, so the token leaves the
 * address bar, the page's HTML and any later Referer at once, and is never stored; the form then
 * posts without it.
 */
import { Router } from 'express';
import { formBody } from '../../web/form-body.js';
import type { AuditTrail } from '../../audit/audit.service.js';
import type { Executor } from '../../db/database.js';
import type { FormCsrf } from '../../web/csrf.js';
import { actionContext } from './request-context.js';
import { AccountsError } from '../accounts-errors.js';
import { consumeToken } from '../consume-token.service.js';
import { peekToken } from '../invitations.service.js';
import { findLinkId } from '../one-time-tokens.js';
import { accountsMessageKey } from './accounts-http-errors.js';
import { setPasswordForm } from './set-password.schema.js';
import { validate } from '../../web/validate.js';

export function setPasswordRouter(deps: { db: Executor; audit: AuditTrail; now: () => Date; csrf: FormCsrf }): Router {
  const router = Router();

  router.get('/account/set-password/:token', async (req, res) => {
    // Used and expired links keep their id, so the next page says why they no longer work.
    const linkId = await findLinkId(deps.db, req.params.token);
    if (linkId) req.session.pendingLinkId = linkId;
    else delete req.session.pendingLinkId;
    res.redirect(303, '/account/set-password');
  });

  router.get('/account/set-password', deps.csrf.expose, async (req, res) => {
    const linkId = req.session.pendingLinkId;
    const peek = linkId ? await peekToken(deps.db, { linkId }, deps.now()) : ({ valid: false, reason: 'unknown' } as const);
    if (!peek.valid) {
      res.status(410).render('link-invalid', { reason: peek.reason });
      return;
    }
    res.render('set-password', { purpose: peek.purpose, email: peek.email ?? '', name: '', error: null });
  });

  router.post('/account/set-password', formBody, deps.csrf.protect, async (req, res) => {
    const linkId = req.session.pendingLinkId;
    const peek = linkId ? await peekToken(deps.db, { linkId }, deps.now()) : ({ valid: false, reason: 'unknown' } as const);
    if (!linkId || !peek.valid) {
      res.status(410).render('link-invalid', { reason: peek.valid ? 'unknown' : peek.reason });
      return;
    }
    const input = validate(setPasswordForm, req.body);
    const again = (status: number, error: string) => {
      res.locals.csrfToken = deps.csrf.token(req, res);
      res.status(status).render('set-password', { purpose: peek.purpose, email: peek.email ?? input.email ?? '', name: input.name ?? '', error });
    };
    if (input.password !== input.confirm) return again(400, 'password.mismatch');
    try {
      const result = await consumeToken(deps.db, deps.audit, { linkId }, { password: input.password, email: input.email, name: input.name }, actionContext(req, deps.now));
      if (!result.ok) {
        res.status(410).render('link-invalid', { reason: result.reason });
        return;
      }
    } catch (error) {
      // Shown on the form, next to the fields; other errors go to the error handler.
      if (error instanceof AccountsError) return again(400, accountsMessageKey(error));
      throw error;
    }
    delete req.session.pendingLinkId;
    req.session.flash = { kind: 'success', key: 'password.setDone' };
    res.redirect(303, '/login');
  });

  return router;
}
