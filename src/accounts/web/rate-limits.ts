/**
 * Rate limits (in this process's memory, or in the database when instances share it: each limiter's
 * store comes from a StoreFactory). Logins are limited per IP, and failed
 * logins by the login throttle (per e-mail and client, and per e-mail with growing delays: see
 * login-throttle.ts), so a stranger cannot lock a person out. Uploads are limited per user. A
 * limited request gets the 429 page with the time to wait and a Retry-After header.
 */
import type { Request, RequestHandler } from 'express';
import { rateLimit, type Options } from 'express-rate-limit';
import { systemClock, type Clock } from '../../clock.js';
import { TooManyRequestsError } from '../../web/errors.js';
import type { StoreFactory } from './clocked-memory-store.js';
import { loginThrottle, throttleStores, type Lockout, type LoginThrottleSettings } from './login-throttle.js';

export interface RateLimitSettings {
  loginMaxFailuresPerEmailAndClient: number;
  loginMaxFailuresPerEmail: number;
  loginEmailDelayBaseSeconds: number;
  loginEmailDelayMaxSeconds: number;
  loginMaxAttemptsPerIp: number;
  loginWindowMinutes: number;
  uploadsPerUserPerHour: number;
}

/** The per-e-mail failure count runs over an hour, so its bound reads "per hour". */
export const LOGIN_EMAIL_WINDOW_MS = 3_600_000;
/** How long a client that signed in as an e-mail skips that e-mail's delays. */
export const LOGIN_KNOWN_CLIENT_MS = 30 * 24 * 3_600_000;

export function loginThrottleSettings(settings: RateLimitSettings): LoginThrottleSettings {
  return {
    maxFailuresPerEmailAndClient: settings.loginMaxFailuresPerEmailAndClient,
    clientWindowMs: settings.loginWindowMinutes * 60_000,
    maxFailuresPerEmail: settings.loginMaxFailuresPerEmail,
    emailWindowMs: LOGIN_EMAIL_WINDOW_MS,
    delayBaseMs: settings.loginEmailDelayBaseSeconds * 1000,
    delayMaxMs: settings.loginEmailDelayMaxSeconds * 1000,
    knownClientMs: LOGIN_KNOWN_CLIENT_MS,
  };
}

function secondsUntil(req: Request, windowMs: number): number {
  const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
  return Math.max(1, Math.ceil(((reset ? reset.getTime() - Date.now() : windowMs) || windowMs) / 1000));
}

/** `name` and `storeFor`: the limiter's own store (express-rate-limit's MemoryStore without them). */
export function limiter(options: Partial<Options> & { windowMs: number }, name?: string, storeFor?: StoreFactory): RequestHandler {
  return rateLimit({
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    ...options,
    ...(name && storeFor ? { store: storeFor(name, options.windowMs) } : {}),
    handler: (req, _res, next) => {
      next(new TooManyRequestsError(secondsUntil(req, options.windowMs)));
    },
  });
}

/**
 * The POST /login chain: attempts per IP, then the login throttle. `onLockout` is called once
 * per lockout (not per refused attempt); `now` is the app's clock (tests move it).
 */
export function loginLimiters(
  settings: RateLimitSettings,
  onLockout: (req: Request, lockout: Lockout) => Promise<void>,
  now: Clock = systemClock,
  storeFor?: StoreFactory,
): RequestHandler[] {
  const windowMs = settings.loginWindowMinutes * 60_000;
  const throttle = loginThrottleSettings(settings);
  return [
    limiter({ windowMs, limit: settings.loginMaxAttemptsPerIp }, 'login-per-ip', storeFor),
    loginThrottle(throttle, { now, onLockout, ...(storeFor ? { stores: throttleStores(throttle, storeFor) } : {}) }),
  ];
}

export function uploadLimiter(settings: RateLimitSettings, storeFor?: StoreFactory): RequestHandler {
  return limiter({ windowMs: 3_600_000, limit: settings.uploadsPerUserPerHour, keyGenerator: (req) => `user:${req.user?.id ?? 'anonymous'}` }, 'uploads-per-user', storeFor);
}
