/**
 * Sessions in the database through express-session and DbSessionStore: cookie `httpOnly`,
 * `sameSite=lax`, `secure` in production; no `maxAge`, so the cookie dies with the browser and the
 * store enforces the idle timeout and the absolute lifetime.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import session from 'express-session';
import type { DbSessionStore } from '../accounts/session-store.js';

export const SESSION_COOKIE = 'csd_relay_sid';

export function sessionMiddleware(options: { store: DbSessionStore; secret: string; secure: boolean }) {
  return session({
    name: SESSION_COOKIE,
    store: options.store,
    secret: options.secret,
    resave: false,
    saveUninitialized: false,
    // express-session calls the store's touch() on every request, which moves the idle
    // timeout; the cookie itself has no expiry to refresh.
    unset: 'destroy',
    cookie: { httpOnly: true, sameSite: 'lax', secure: options.secure, path: '/' },
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
