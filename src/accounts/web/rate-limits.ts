/**
 * Rate limits (in this process's memory, or in the database when instances share it: each limiter's
 * store comes from a StoreFactory). Logins are limited per IP, and failed
 * logins by the login throttle (per e-mail and client, and per e-mail with growing delays: see
 * login-throttle.ts), so a stranger cannot lock a person out. Uploads have two counters per person
 * (see uploadLimiters). A limited request gets a 429 with the time to wait and a Retry-After header.
 */
import type { Request, RequestHandler, Response } from 'express';
import { rateLimit, type Options, type Store } from 'express-rate-limit';
import { systemClock, type Clock } from '../../clock.js';
import { TooManyRequestsError } from '../../web/errors.js';
import { ClockedMemoryStore, type StoreFactory } from './clocked-memory-store.js';
import { loginThrottle, throttleStores, type Lockout, type LoginThrottleSettings } from './login-throttle.js';

export interface RateLimitSettings {
  loginMaxFailuresPerEmailAndClient: number;
  loginMaxFailuresPerEmail: number;
  loginEmailDelayBaseSeconds: number;
  loginEmailDelayMaxSeconds: number;
  loginMaxAttemptsPerIp: number;
  loginWindowMinutes: number;
  uploadsPerUserPerHour: number;
  uploadsPerSupportUserPerHour: number;
  uploadLocalRefusalsPerUserPerHour: number;
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

/** The upload limits, named on the 429 page. */
export type UploadLimitName = 'sends_account_admin' | 'sends_support' | 'refusals';
export const UPLOAD_WINDOW_MS = 3_600_000;

/** An upload refused by one of the upload limits: the upload route shows it on the organization page. */
export class UploadLimitError extends TooManyRequestsError {
  constructor(
    readonly limitName: UploadLimitName,
    readonly max: number,
    readonly resetAt: Date,
    retryAfterSeconds: number,
  ) {
    super(retryAfterSeconds);
  }
}

/** The two counters' stores (in memory by default; any express-rate-limit Store with the same resetTime contract fits). */
export interface UploadLimitStores {
  sends: Store;
  refusals: Store;
}

/**
 * The upload chain's two per-person counters, both checked before anything is inspected or sent:
 * - **sends**: uploads that reached Facturapi (its refusals and failures included), with a
 *   budget per role (support staff upload for many customers);
 * - **refusals**: uploads refused here before sending (wrong password, mismatched files, form
 *   errors), a separate bounded budget, so that fixing a typo does not use up the sends while
 *   guessing passwords stays bounded.
 * Each counter counts every request when it starts (concurrent uploads cannot slip past) and gives
 * the hit back when the response closes if the upload turned out to be of the other kind, as
 * `wasSent(res)` (set by the upload route) says. The give-back is ours, not express-rate-limit's
 * skip*Requests: that one compares the window's end with Date.now(), not with the app's clock.
 */
export function uploadLimiters(
  settings: RateLimitSettings,
  options: { now: Clock; wasSent: (res: Response) => boolean; stores?: Partial<UploadLimitStores>; storeFor?: StoreFactory; keyOf?: (req: Request) => string },
): RequestHandler[] {
  const { now, wasSent, storeFor } = options;
  // Shared by every instance when a StoreFactory is given (the database's), in memory otherwise.
  const storeNamed = (name: string): Store => (storeFor ? storeFor(name, UPLOAD_WINDOW_MS) : new ClockedMemoryStore({ windowMs: UPLOAD_WINDOW_MS, now }));
  const stores: UploadLimitStores = {
    sends: options.stores?.sends ?? storeNamed('upload-sends-per-user'),
    refusals: options.stores?.refusals ?? storeNamed('upload-refusals-per-user'),
  };
  // The person's; a one-time upload link passes its own (nobody is signed in there).
  const key = options.keyOf ?? ((req: Request) => `user:${req.user?.id ?? 'anonymous'}`);
  const sendsName = (req: Request): UploadLimitName => (req.user?.role === 'support' ? 'sends_support' : 'sends_account_admin');
  const counter = (store: Store, name: (req: Request) => UploadLimitName, max: (req: Request) => number, countsWhenSent: boolean): RequestHandler => {
    const property = `uploadLimit_${countsWhenSent ? 'sends' : 'refusals'}`;
    const check = rateLimit({
      windowMs: UPLOAD_WINDOW_MS,
      limit: (req) => max(req),
      store,
      keyGenerator: key,
      requestPropertyName: property,
      standardHeaders: false,
      legacyHeaders: false,
      handler: (req, _res, next) => {
        const info = (req as Request & Record<string, { resetTime?: Date } | undefined>)[property];
        const resetAt = info?.resetTime ?? new Date(now().getTime() + UPLOAD_WINDOW_MS);
        const seconds = Math.max(1, Math.ceil((resetAt.getTime() - now().getTime()) / 1000));
        next(new UploadLimitError(name(req), max(req), resetAt, seconds));
      },
    });
    return (req, res, next) => {
      let counted = false;
      let settled = false;
      // On 'finish' (the answer is written) or 'close' (the client left first), whichever comes first.
      const settle = () => {
        if (settled) return;
        settled = true;
        // Hits refused by this very counter stay counted (a refused request never reaches the route).
        // A store that fails to give the hit back (a database store, say) leaves it counted: it errs toward limiting.
        if (counted && wasSent(res) !== countsWhenSent) Promise.resolve(store.decrement(key(req))).catch(() => undefined);
      };
      res.once('finish', settle);
      res.once('close', settle);
      void check(req, res, (error?: unknown) => {
        counted = error === undefined;
        next(error as Error | undefined);
      });
    };
  };
  return [
    counter(stores.sends, sendsName, (req) => (req.user?.role === 'support' ? settings.uploadsPerSupportUserPerHour : settings.uploadsPerUserPerHour), true),
    counter(stores.refusals, () => 'refusals', () => settings.uploadLocalRefusalsPerUserPerHour, false),
  ];
}
