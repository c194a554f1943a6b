/**
 * Setting and removing an organization's reminder contact, from its page (support only: the guard
 * of app.ts). The organization must exist at Facturapi before anything is stored.
 */
import { Router, type RequestHandler } from 'express';
import type { AuditTrail } from '../../audit/audit.service.js';
import type { Executor } from '../../db/database.js';
import type { FacturapiClient } from '../../facturapi/client.js';
import { csrfProtection } from '../../web/csrf.js';
import { AppError } from '../../web/errors.js';
import { formBody } from '../../web/form-body.js';
import { validate } from '../../web/validate.js';
import { actionContext } from '../../accounts/web/request-context.js';
import { loadOrganization } from '../../organizations/web/organization-loader.js';
import { removeReminderContact, setReminderContact } from '../reminder-contacts.js';
import { reminderContactForm } from './reminder-contact.schema.js';

export interface ReminderContactDeps {
  db: Executor;
  audit: AuditTrail;
  facturapi: FacturapiClient;
  now: () => Date;
  guard: RequestHandler;
}

export function reminderContactRouter(deps: ReminderContactDeps): Router {
  const router = Router();
  const base = '/organizations/:organizationId/reminder-contact';

  router.post(base, deps.guard, formBody, csrfProtection, async (req, res) => {
    const form = validate(reminderContactForm, req.body, () => new AppError(400, 'reminderContact.invalidEmail'));
    const organization = await loadOrganization(deps.facturapi, req.params);
    await setReminderContact(deps, { organizationId: organization.id, email: form.email, language: form.language }, actionContext(req, deps.now));
    req.session.flash = { kind: 'success', key: 'reminderContact.saved', params: { email: form.email } };
    res.redirect(303, `/organizations/${organization.id}#reminders`);
  });

  router.post(`${base}/remove`, deps.guard, formBody, csrfProtection, async (req, res) => {
    const organization = await loadOrganization(deps.facturapi, req.params);
    const removed = await removeReminderContact(deps, organization.id, actionContext(req, deps.now));
    req.session.flash = { kind: removed ? 'success' : 'info', key: removed ? 'reminderContact.removed' : 'reminderContact.noneToRemove' };
    res.redirect(303, `/organizations/${organization.id}#reminders`);
  });

  return router;
}
