/**
 * GET/POST /account/settings: any signed-in person chooses the language of their e-mails and
 * whether they get expiry reminders (issue 12). Post/redirect/get; CSRF-protected.
 */
import { Router } from 'express';
import type { AuditTrail } from '../../audit/audit.service.js';
import type { Executor } from '../../db/database.js';
import { csrfProtection } from '../../web/csrf.js';
import { takeFlash } from '../../web/flash.js';
import { formBody } from '../../web/form-body.js';
import { validate } from '../../web/validate.js';
import { getPreferences, setPreferences } from '../preferences.service.js';
import { actionContext } from './request-context.js';
import { settingsForm } from './settings.schema.js';

export function settingsRouter(deps: { db: Executor; audit: AuditTrail; now: () => Date }): Router {
  const router = Router();
  router.get('/account/settings', async (req, res) => {
    res.render('settings', { preferences: await getPreferences(deps.db, req.user!.id), flash: takeFlash(req) });
  });
  router.post('/account/settings', formBody, csrfProtection, async (req, res) => {
    const input = validate(settingsForm, req.body ?? {});
    await setPreferences(deps.db, deps.audit, req.user!.id, { language: input.language, reminders: input.reminders }, actionContext(req, deps.now), 'settings');
    req.session.flash = { kind: 'success', key: 'settings.saved' };
    res.redirect(303, '/account/settings');
  });
  return router;
}
