/**
 * Sessions through express-session and the store it is given (the runtime's is accounts'
 * DbSessionStore, on the database): cookie `httpOnly`, `sameSite=lax`, `secure` (and named
 * `__Host-csd_relay_sid`) in production or behind an https PUBLIC_URL (cookies.ts); no `maxAge`,
 * so the cookie dies with the browser and the store enforces the idle timeout and the absolute
 * lifetime. `saveUninitialized: false`: a visitor who is not
 * signed in and has not opened a one-time link gets no session row.
 */
import session from 'express-session';
import type { CookiePolicy } from './cookies.js';

export const SESSION_COOKIE = 'csd_relay_sid';

export function sessionMiddleware(options: { store: session.Store; secret: string; cookies: CookiePolicy }) {
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
