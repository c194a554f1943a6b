/**
 * Managing people (support staff only; the guard is applied where this router is mounted):
 * invite an account admin to an organization, add/remove memberships, disable/enable, and
 * issue password-reset links (for account admins only; support accounts are reset with the
 * operator CLI). One-time links are shown once, in the POST's response, for the support person
 * to send; they are never put in a URL we redirect to, nor logged.
 */
import { Router, type Request, type Response } from 'express';
import type { Executor } from '../../db/database.js';
import { holdsMemberships, type Role } from '../roles.js';
import { csrfProtection } from '../../web/csrf.js';
import { actionContext } from './request-context.js';
import { AccountsError } from '../accounts-errors.js';
import { createPasswordReset, inviteAccountAdmin } from '../invitations.service.js';
import { addMembership, removeMembership } from '../memberships.service.js';
import { setDisabled } from '../user-status.service.js';
import { formBody } from '../../web/form-body.js';
import { takeFlash } from '../../web/flash.js';
import { setPasswordLink } from '../set-password-link.js';
import { getUserRow, listUsers } from '../users.service.js';
import type { AuditTrail } from '../../audit/audit.service.js';
import { ForbiddenError } from '../../web/errors.js';
import { auditOrigin } from '../../audit/action-context.js';
import { canResetPassword } from '../policies.js';
import { accountsMessageKey } from './accounts-http-errors.js';
import { inviteForm, membershipForm, userParams } from './people.schema.js';
import { validate } from '../../web/validate.js';
import type { Mailer } from '../../mail/mailer.js';
import { emailLink } from '../account-mail.js';
import type { OrganizationDirectory } from '../../organizations/organization-directory.js';
import { isOrganizationId } from '../../facturapi/organization-id.js';
import { z } from 'zod';

export interface PeopleDeps {
  db: Executor;
  audit: AuditTrail;
  now: () => Date;
  publicUrl: string;
  /** E-mails the links too (issue 12); they are still shown once here. */
  mailer: Mailer;
  /** Organization names and search (the invite picker); Facturapi is asked whether an invited organization exists. */
  organizations: OrganizationDirectory;
}

/** The invite picker's search step (GET /people?orgq=…). */
const pickerQuery = z.object({ orgq: z.string().trim().max(100).optional().catch(undefined) });

/** A user id that is not a UUID names no user, like an unknown one. */
const noSuchUser = () => new AccountsError('user_not_found', 'No such user');

export function peopleRouter(deps: PeopleDeps): Router {
  const router = Router();

  const renderList = async (req: Request, res: Response, status = 200, extra: Record<string, unknown> & { invite?: { organizationId: string } } = {}) => {
    const users = await listUsers(deps.db);
    const canReset = (target: { role: Role }) => canResetPassword(req.user!, target);
    const { orgq } = req.method === 'GET' ? validate(pickerQuery, req.query) : { orgq: undefined };
    const chosenId = extra.invite?.organizationId ?? '';
    // Names are a convenience: the directory waits a bounded time and never throws (ids are shown instead).
    const [names, picker] = await Promise.all([
      deps.organizations.namesOf([...users.flatMap((u) => u.organizationIds), chosenId]),
      orgq ? deps.organizations.search(orgq, 10).then((results) => ({ results, unavailable: false }), () => ({ results: null, unavailable: true })) : { results: null, unavailable: false },
    ]);
    const chosen = isOrganizationId(chosenId) ? names.get(chosenId) ?? { id: chosenId, name: chosenId, legalName: '', rfc: null } : null;
    res.status(status).render('people', {
      users, error: null, invite: { email: '', name: '', organizationId: '' }, flash: takeFlash(req), canReset, holdsMemberships,
      names, picker: { ...picker, query: orgq ?? '', chosen }, ...extra,
    });
  };

  /** Runs a change; an AccountsError is shown on the list, re-rendered with 400 (others go to the error handler). */
  const change = (work: (req: Request) => Promise<string | void>) => async (req: Request, res: Response) => {
    try {
      const flashKey = await work(req);
      req.session.flash = { kind: 'success', key: flashKey || 'people.saved' };
      res.redirect(303, '/people');
    } catch (error) {
      if (!(error instanceof AccountsError)) throw error;
      await renderList(req, res, 400, { error: accountsMessageKey(error) });
    }
  };

  const userIdOf = (req: Request) => validate(userParams, req.params, noSuchUser).userId;

  // The forms' token is already in res.locals (app.ts: csrf.session, for every signed-in request).
  router.get('/people', (req, res) => renderList(req, res));

  router.post('/people/invite', formBody, csrfProtection, async (req, res) => {
    const input = validate(inviteForm, req.body);
    // Refused before anything is written: an organization chosen from nothing, or one Facturapi does not know.
    // (Facturapi being unable to tell goes to the error handler: a 503 saying so, nothing created.)
    if (input.organizationId === '') return renderList(req, res, 400, { error: 'people.invite.organizationRequired', invite: input });
    if (isOrganizationId(input.organizationId) && !(await deps.organizations.exists(input.organizationId))) {
      return renderList(req, res, 400, { error: 'people.invite.organizationUnknown', invite: { ...input, organizationId: '' } });
    }
    try {
      const result = await inviteAccountAdmin(deps.db, deps.audit, input, actionContext(req, deps.now));
      const link = result.token ? setPasswordLink(deps.publicUrl, result.token) : null;
      const mail = link && result.expiresAt
        ? await emailLink(deps.mailer, deps.db, { purpose: 'invitation', userId: result.user.id, link, expiresAt: result.expiresAt, organizationId: input.organizationId })
        : null;
      res.render('link-issued', {
        purpose: 'invitation',
        email: result.user.email,
        link,
        expiresAt: result.expiresAt ? new Date(result.expiresAt) : null,
        mailStatus: mail?.status ?? null,
      });
    } catch (error) {
      if (!(error instanceof AccountsError)) throw error;
      await renderList(req, res, 400, { error: accountsMessageKey(error), invite: input });
    }
  });

  router.post('/people/:userId/memberships', formBody, csrfProtection, async (req, res, next) => {
    const { organizationId } = validate(membershipForm, req.body);
    if (isOrganizationId(organizationId) && !(await deps.organizations.exists(organizationId))) {
      return renderList(req, res, 400, { error: 'people.membership.organizationUnknown' });
    }
    return next();
  }, change(async (req) => {
    await addMembership(deps.db, deps.audit, { userId: userIdOf(req), organizationId: validate(membershipForm, req.body).organizationId }, actionContext(req, deps.now));
  }));
  router.post('/people/:userId/memberships/remove', formBody, csrfProtection, change(async (req) => {
    await removeMembership(deps.db, deps.audit, { userId: userIdOf(req), organizationId: validate(membershipForm, req.body).organizationId }, actionContext(req, deps.now));
  }));
  router.post('/people/:userId/disable', formBody, csrfProtection, change(async (req) => {
    await setDisabled(deps.db, deps.audit, userIdOf(req), true, actionContext(req, deps.now));
  }));
  router.post('/people/:userId/enable', formBody, csrfProtection, change(async (req) => {
    await setDisabled(deps.db, deps.audit, userIdOf(req), false, actionContext(req, deps.now));
  }));

  router.post('/people/:userId/reset', formBody, csrfProtection, async (req, res) => {
    const userId = userIdOf(req);
    const target = await getUserRow(deps.db, userId);
    const ctx = actionContext(req, deps.now);
    if (!canResetPassword(req.user!, target)) {
      const detail = { method: req.method, route: '/people/:userId/reset', rule: canResetPassword.name, targetUserId: userId };
      await deps.audit.record({ ...auditOrigin(ctx), action: 'access.denied', outcome: 'denied', detail });
      throw new ForbiddenError('people.resetSupportRefused');
    }
    const issued = await createPasswordReset(deps.db, deps.audit, userId, ctx);
    const link = setPasswordLink(deps.publicUrl, issued.token);
    const mail = await emailLink(deps.mailer, deps.db, { purpose: 'password_reset', userId, link, expiresAt: issued.expiresAt });
    res.render('link-issued', { purpose: 'password_reset', email: target.email, link, expiresAt: new Date(issued.expiresAt), mailStatus: mail.status });
  });

  return router;
}
