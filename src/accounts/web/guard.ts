/**
 * The one authorization guard. Routes name a rule from accounts/policies (pure functions); the
 * guard applies it to the signed-in user and the organization id in the URL, records a refusal
 * in the audit trail and answers 403. The organization id always comes from the URL the server
 * routes, never from a form field.
 */
import type { RequestHandler } from 'express';
import { auditOrigin } from '../../audit/action-context.js';
import type { Actor } from '../policies.js';
import type { AuditTrail } from '../../audit/audit.service.js';
import { ForbiddenError } from '../../web/errors.js';
import { actionContext } from './request-context.js';

export type Rule = (actor: Actor, organizationId: string) => boolean;

export function guard(rule: Rule, deps: { audit: AuditTrail; now: () => Date }): RequestHandler {
  return async (req, _res, next) => {
    const user = req.user;
    const organizationId = typeof req.params.organizationId === 'string' ? req.params.organizationId : '';
    if (user && rule(user, organizationId)) return next();
    const ctx = actionContext(req, deps.now);
    await deps.audit.record({
      ...auditOrigin(ctx),
      organizationId: organizationId || null,
      action: 'access.denied',
      outcome: 'denied',
      detail: { method: req.method, route: req.route?.path ? String(req.route.path) : req.baseUrl || req.path.slice(0, 100), rule: rule.name },
    });
    next(new ForbiddenError());
  };
}
