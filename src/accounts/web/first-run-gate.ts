/**
 * First run: while no user exists, nothing but the one-time setup link (and static files and
 * health checks, mounted earlier) is reachable. Once a user exists the check is never made again.
 */
import type { RequestHandler } from 'express';
import { hasAnyUser } from '../users.service.js';
import type { Executor } from '../../db/database.js';
import { AppError } from '../../web/errors.js';

export function firstRunGate(db: Executor): RequestHandler {
  let open = false;
  return async (req, _res, next) => {
    if (open || req.path.startsWith('/account/set-password')) return next();
    open = await hasAnyUser(db);
    if (open) return next();
    next(new AppError(503, 'error.setupRequired', {}, true));
  };
}
