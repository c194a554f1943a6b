/**
 * Login throttling that bounds password guessing without letting a stranger lock a person out.
 *
 * Three counters, each an express-rate-limit Store on the injected clock:
 * - per (e-mail, client): `maxFailuresPerEmailAndClient` failures in `clientWindowMs`, then that
 *   client is refused for that e-mail until the window ends. A success clears it.
 * - per e-mail, from clients not known for it: `maxFailuresPerEmail` failures in `emailWindowMs`
 *   are checked freely; the k-th failure after that is accepted no earlier than
 *   base·(1 + 2 + … + 2^(k-1)) (each step capped at `delayMaxMs`) after the window's first
 *   failure. Earlier attempts get a 429 with the wait; they are not checked and do not count, so
 *   polling does not push the opening further out.
 * - known clients: a client that signed in as an e-mail is known for it for `knownClientMs` and
 *   skips the per-e-mail delays (its own per-client limit still holds). This is what keeps the
 *   person in while strangers elsewhere exhaust the e-mail's budget: strangers cannot become known
 *   without the password.
 *
 * Bound per e-mail: in one e-mail window, clients not known for it get at most
 * `maxFailuresPerEmail + slots(emailWindowMs)` passwords checked (32 an hour with the defaults
 * 20, 1 s, 15 min), however many addresses they use; one client at most
 * `maxFailuresPerEmailAndClient` per client window. See `checksPerEmailWindow`.
 *
 * An attempt is counted when it starts (so concurrent requests cannot all slip under a limit)
 * and settled when its response finishes: a success clears the client's count, a refused form
 * (400, 413…: no password was checked) gives the attempt back, and everything else stays a
 * failure: a 401, a 5xx (the password may have been checked before something else failed) and a
 * client that hangs up before the answer.
 */
import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import type { Clock } from '../../clock.js';
import { TooManyRequestsError } from '../../web/errors.js';
import { memoryStores, type ReadableStore, type StoreFactory } from './clocked-memory-store.js';

export interface LoginThrottleSettings {
  maxFailuresPerEmailAndClient: number;
  clientWindowMs: number;
  maxFailuresPerEmail: number;
  emailWindowMs: number;
  delayBaseMs: number;
  delayMaxMs: number;
  knownClientMs: number;
}

/** Where the counts live: in memory by default, in the database when several instances share it. */
export interface LoginThrottleStores {
  perClient: ReadableStore;
  perEmail: ReadableStore;
  knownClients: ReadableStore;
}

/** What was locked: one client for an e-mail, or the e-mail for clients not known for it. */
export interface Lockout {
  scope: 'client' | 'email';
  retryAfterSeconds: number;
}

export interface LoginThrottleOptions {
  now: Clock;
  /** Called once per lockout (the first refused attempt), never per refused attempt. */
  onLockout: (req: Request, lockout: Lockout) => Promise<void>;
  stores?: LoginThrottleStores;
}

export function throttleStores(settings: LoginThrottleSettings, storeFor: StoreFactory): LoginThrottleStores {
  return {
    perClient: storeFor('login-per-client', settings.clientWindowMs),
    perEmail: storeFor('login-per-email', settings.emailWindowMs),
    knownClients: storeFor('login-known-clients', settings.knownClientMs),
  };
}

export function memoryThrottleStores(settings: LoginThrottleSettings, now: Clock): LoginThrottleStores {
  return throttleStores(settings, memoryStores(now));
}

// Characters that render as nothing (zero-width space, joiners, BOM, soft hyphen…) and every kind of space.
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\s]/gu;

/**
 * The e-mail as the throttle counts it. Starts from what the login lookup compares (trimmed,
 * lower-cased), so two inputs that reach the same account always share a count, then folds
 * further (invisible characters and spaces removed, NFKC: full-width letters become ASCII) so
 * look-alike variants cannot open fresh counts either.
 */
export function throttleEmail(raw: unknown): string {
  if (typeof raw !== 'string') return '';
  return raw.trim().toLowerCase().replace(INVISIBLE, '').normalize('NFKC').toLowerCase().replace(INVISIBLE, '').slice(0, 254);
}

/** The client as Express sees it through TRUST_PROXY_HOPS; IPv6 by /56 like the per-IP limiter. */
function clientOf(req: Request): string {
  return ipKeyGenerator(req.ip ?? 'unknown');
}

/** Keys are hashes: the store never holds what was typed in the e-mail field (sometimes a password). */
function keyOf(kind: string, ...parts: string[]): string {
  return `${kind}:${createHash('sha256').update(parts.join('\n')).digest('base64url').slice(0, 32)}`;
}

/** Milliseconds from the window's first failure until the `extra`-th failure past the threshold is accepted. */
export function cumulativeDelayMs(extra: number, baseMs: number, maxMs: number): number {
  let total = 0;
  let step = baseMs;
  for (let k = 1; k <= extra; k++) {
    if (step >= maxMs) return total + (extra - k + 1) * maxMs;
    total += step;
    step *= 2;
  }
  return total;
}

/** The most passwords clients not known for an e-mail can have checked in one e-mail window. */
export function checksPerEmailWindow(s: Pick<LoginThrottleSettings, 'maxFailuresPerEmail' | 'emailWindowMs' | 'delayBaseMs' | 'delayMaxMs'>): number {
  let extra = 0;
  while (cumulativeDelayMs(extra + 1, s.delayBaseMs, s.delayMaxMs) < s.emailWindowMs) extra += 1;
  return s.maxFailuresPerEmail + extra;
}

const secondsUntil = (atMs: number, nowMs: number) => Math.max(1, Math.ceil((atMs - nowMs) / 1000));

export function loginThrottle(settings: LoginThrottleSettings, options: LoginThrottleOptions): RequestHandler {
  const stores = options.stores ?? memoryThrottleStores(settings, options.now);

  return async (req, res, next) => {
    const email = throttleEmail((req.body as Record<string, unknown> | undefined)?.email);
    const client = clientOf(req);
    const pairKey = keyOf('pair', email, client);
    const nowMs = options.now().getTime();

    const pair = await stores.perClient.increment(pairKey);
    if (pair.totalHits > settings.maxFailuresPerEmailAndClient) {
      // Refused attempts stay counted (the window is fixed, so this never extends it): exactly one
      // request sees the count one past the limit, and that one is the lockout.
      const retryAfterSeconds = secondsUntil(pair.resetTime?.getTime() ?? nowMs + settings.clientWindowMs, nowMs);
      if (pair.totalHits === settings.maxFailuresPerEmailAndClient + 1) await options.onLockout(req, { scope: 'client', retryAfterSeconds });
      return next(new TooManyRequestsError(retryAfterSeconds));
    }

    const known = ((await stores.knownClients.get(pairKey))?.totalHits ?? 0) > 0;
    const emailKey = keyOf('email', email);
    if (!known) {
      const counted = await stores.perEmail.increment(emailKey);
      const resetMs = counted.resetTime?.getTime() ?? nowMs + settings.emailWindowMs;
      const extra = counted.totalHits - settings.maxFailuresPerEmail;
      const windowStartMs = resetMs - settings.emailWindowMs;
      // Past the schedule's end the window itself ends, and a fresh one starts with free attempts.
      const opensAt = extra > 0 ? Math.min(windowStartMs + cumulativeDelayMs(extra, settings.delayBaseMs, settings.delayMaxMs), resetMs) : nowMs;
      if (nowMs < opensAt) {
        await stores.perEmail.decrement(emailKey);
        await stores.perClient.decrement(pairKey);
        const retryAfterSeconds = secondsUntil(opensAt, nowMs);
        // One notice per e-mail window: its key names the window, so the next window notices again.
        const notice = await stores.perEmail.increment(keyOf('email-lockout', email, String(resetMs)));
        if (notice.totalHits === 1) await options.onLockout(req, { scope: 'email', retryAfterSeconds });
        return next(new TooManyRequestsError(retryAfterSeconds));
      }
    }

    settleWhenAnswered(req, res, async (outcome) => {
      if (outcome === 'failure') return;
      if (!known) await stores.perEmail.decrement(emailKey);
      if (outcome === 'other') return stores.perClient.decrement(pairKey);
      await stores.perClient.resetKey(pairKey);
      // Known from now on for the full period, not from the first sign-in.
      await stores.knownClients.resetKey(pairKey);
      await stores.knownClients.increment(pairKey);
    });
    next();
  };
}

type Outcome = 'success' | 'failure' | 'other';

function settleWhenAnswered(req: Request, res: Response, settle: (outcome: Outcome) => Promise<void>): void {
  res.once('finish', () => {
    const status = res.statusCode;
    const outcome: Outcome = status < 400 ? 'success' : status === 401 || status >= 500 ? 'failure' : 'other';
    settle(outcome).catch((err: Error) => req.log?.warn({ err: { message: err.message } }, 'login throttle could not record an outcome'));
  });
}
