/**
 * Opening a one-time link stores a session (the token moves out of the URL into it), and anyone
 * can open links: so openings are limited per client, with the login's per-IP budget and window.
 * That bounds both the session rows one client can make by re-opening a link it holds and the
 * guesses it can make at links it does not. The page says how long to wait (429, Retry-After).
 */
import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { TooManyRequestsError } from '../../web/errors.js';
import type { StoreFactory } from './clocked-memory-store.js';
import type { RateLimitSettings } from './rate-limits.js';

export function linkOpenLimiter(settings: Pick<RateLimitSettings, 'loginMaxAttemptsPerIp' | 'loginWindowMinutes'>, storeFor?: StoreFactory): RequestHandler {
  const windowMs = settings.loginWindowMinutes * 60_000;
  return rateLimit({
    windowMs,
    limit: settings.loginMaxAttemptsPerIp,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    ...(storeFor ? { store: storeFor('link-openings-per-ip', windowMs) } : {}),
    handler: (req, _res, next) => {
      const reset = (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      next(new TooManyRequestsError(Math.max(1, Math.ceil((reset ? reset.getTime() - Date.now() : windowMs) / 1000))));
    },
  });
}
