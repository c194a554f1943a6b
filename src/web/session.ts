/**
 * Sessions in the database through express-session and DbSessionStore: cookie `httpOnly`,
 * `sameSite=lax`, `secure` (and named `__Host-csd_relay_sid`) in production or behind an https
 * PUBLIC_URL (cookies.ts); no `maxAge`, so the cookie dies with the browser and the store enforces
 * the idle timeout and the absolute lifetime. `saveUninitialized: false`: a visitor who is not
 * signed in and has not opened a one-time link gets no session row.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import session from 'express-session';
import type { DbSessionStore } from '../accounts/session-store.js';
import type { CookiePolicy } from './cookies.js';

export const SESSION_COOKIE = 'csd_relay_sid';

export function sessionMiddleware(options: { store: DbSessionStore; secret: string; cookies: CookiePolicy }) {
  return session({
    name: options.cookies.name(SESSION_COOKIE),
    store: options.store,
    secret: options.secret,
    resave: false,
    saveUninitialized: false,
    // express-session calls the store's touch() on every request, which moves the idle
    // timeout; the cookie itself has no expiry to refresh.
    unset: 'destroy',
    cookie: { httpOnly: true, sameSite: 'lax', secure: options.cookies.secure, path: '/' },
  });
}

/**
 * The session secret: from config when set (required in production); otherwise a random one
 * kept in the data folder (mode 0600), so a development restart keeps people signed in.
 */
export function resolveSessionSecret(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const file = path.join(dataDir, 'session-secret');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(dataDir, { recursive: true });
    const secret = randomBytes(48).toString('base64url');
    fs.writeFileSync(file, secret, { mode: 0o600 });
    return secret;
  }
}
