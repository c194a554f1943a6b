/**
 * Rate limits (express-rate-limit, in-process memory: one instance per app). Logins are limited
 * per IP and, separately, failures per e-mail address, which locks that address for the window
 * whatever the IP. Uploads are limited per user. A limited request gets the 429 page with the
 * time to wait and a Retry-After header.
 */
import type { Request, RequestHandler } from 'express';
import { rateLimit, type Options } from 'express-rate-limit';
import { TooManyRequestsError } from '../../http/errors.js';

export interface RateLimitSettings {
  loginMaxFailuresPerEmail: number;
  loginMaxAttemptsPerIp: number;
  loginWindowMinutes: number;
  uploadsPerUserPerHour: number;
}

function secondsUntil(req: Request, windowMs: number): number {
  const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
  return Math.max(1, Math.ceil(((reset ? reset.getTime() - Date.now() : windowMs) || windowMs) / 1000));
}

function limiter(options: Partial<Options> & { windowMs: number }, onLimited?: (req: Request) => Promise<void>): RequestHandler {
  return rateLimit({
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    ...options,
    handler: async (req, _res, next) => {
      await onLimited?.(req);
      next(new TooManyRequestsError(secondsUntil(req, options.windowMs)));
    },
  });
}

/** The address as typed, normalised enough that case and spaces do not open new buckets. */
export function emailKey(req: Request): string {
  const email = (req.body as Record<string, unknown> | undefined)?.email;
  return `email:${typeof email === 'string' ? email.trim().toLowerCase().slice(0, 254) : ''}`;
}

export function loginLimiters(settings: RateLimitSettings, onLockout: (req: Request) => Promise<void>): RequestHandler[] {
  const windowMs = settings.loginWindowMinutes * 60_000;
  return [
    limiter({ windowMs, limit: settings.loginMaxAttemptsPerIp }),
    // Only failures count (a successful login answers 303), so a person who types their
    // password right is never locked by their own earlier success.
    limiter({ windowMs, limit: settings.loginMaxFailuresPerEmail, keyGenerator: emailKey, skipSuccessfulRequests: true }, onLockout),
  ];
}

export function uploadLimiter(settings: RateLimitSettings): RequestHandler {
  return limiter({ windowMs: 3_600_000, limit: settings.uploadsPerUserPerHour, keyGenerator: (req) => `user:${req.user?.id ?? 'anonymous'}` });
}
