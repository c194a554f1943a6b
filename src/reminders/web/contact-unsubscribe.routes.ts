/**
 * The unsubscribe link of a reminder contact's e-mail (an address with no account), without
 * login; the same steps as the account admins' link (unsubscribe.routes.ts). Opening it (GET)
 * changes nothing (mail scanners open links): it checks the signature, keeps only the
 * organization id and the address in the session (never the token) and redirects, so the token
 * leaves the address bar and the page. The page asks for a click, a POST with the anonymous
 * forms' CSRF token, which removes that organization's contact if it is still that address
 * (audited, no actor). A link from an old e-mail of a replaced contact changes nothing and says so.
 */
import { Router } from 'express';
import type { AuditTrail } from '../../audit/audit.service.js';
import type { Executor } from '../../db/database.js';
import type { FormCsrf } from '../../web/csrf.js';
import { formBody } from '../../web/form-body.js';
import { actionContext } from '../../accounts/web/request-context.js';
import { isReminderContact, removeReminderContactByLink } from '../reminder-contacts.js';
import type { UnsubscribeTokens } from '../unsubscribe-token.js';

declare module 'express-session' {
  interface SessionData {
    /** The organization and address of the contact's unsubscribe link that was opened (never the token). */
    unsubscribeContact?: { organizationId: string; email: string };
  }
}

export function contactUnsubscribeRouter(deps: { db: Executor; audit: AuditTrail; now: () => Date; csrf: FormCsrf; tokens: UnsubscribeTokens }): Router {
  const router = Router();
  const page = '/reminders/contact-unsubscribe';

  router.get(`${page}/:token`, (req, res) => {
    const link = deps.tokens.verifyContact(req.params.token);
    if (link) req.session.unsubscribeContact = link;
    else delete req.session.unsubscribeContact;
    res.redirect(303, page);
  });

  router.get(page, deps.csrf.expose, async (req, res) => {
    const link = req.session.unsubscribeContact;
    if (!link) return void res.status(404).render('contact-unsubscribe', { state: 'invalid', email: '' });
    if (!(await isReminderContact(deps.db, link))) return void res.status(410).render('contact-unsubscribe', { state: 'stale', email: link.email });
    res.render('contact-unsubscribe', { state: 'confirm', email: link.email });
  });

  router.post(page, formBody, deps.csrf.protect, async (req, res) => {
    const link = req.session.unsubscribeContact;
    if (!link) return void res.status(404).render('contact-unsubscribe', { state: 'invalid', email: '' });
    const outcome = await removeReminderContactByLink(deps, link, { ...actionContext(req, deps.now), actor: null });
    delete req.session.unsubscribeContact;
    if (outcome === 'not_the_contact') return void res.status(410).render('contact-unsubscribe', { state: 'stale', email: link.email });
    res.render('contact-unsubscribe', { state: 'done', email: link.email });
  });
  return router;
}
