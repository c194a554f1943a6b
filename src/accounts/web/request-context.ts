/**
 * What accounts' web layer adds to a request: the signed-in user (with memberships, reloaded on
 * every request so disabling or removing a membership takes effect at once), the session fields
 * of signing in and of one-time links, and the action context services record events with.
 */
import type { Request } from 'express';
import type { ActionContext } from '../../audit/action-context.js';
import type { UserWithMemberships } from '../users.service.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The signed-in user; set by `authenticate`. */
      user?: UserWithMemberships;
    }
  }
}

declare module 'express-session' {
  interface SessionData {
    userId?: string;
    /**
     * The id of the one-time link this visitor opened (see set-password routes): never the token
     * itself, so a stored session (or a backup of it) holds nothing that works as the link.
     */
    pendingLinkId?: string;
  }
}

/** Who acts and from where, for the services' audit events. */
export function actionContext(req: Request, now: () => Date): ActionContext {
  const user = req.user;
  return {
    now,
    actor: user ? { id: user.id, email: user.email, role: user.role } : null,
    ip: req.ip ?? null,
    userAgent: req.get('user-agent')?.slice(0, 300) ?? null,
    requestId: typeof req.id === 'string' ? req.id : req.id !== undefined ? String(req.id) : null,
  };
}
