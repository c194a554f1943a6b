/**
 * How the app's own cookies (session, CSRF) are marked. They are `Secure` when the public origin is
 * https or in production (README: behind a TLS proxy), and then carry the `__Host-` prefix, which
 * makes the browser refuse a cookie with that name unless it is Secure, has Path=/ and no Domain:
 * a sibling subdomain or a plain-http page cannot plant or overwrite it (session fixation, CSRF
 * cookie tossing). Without Secure the prefix is not allowed, so plain-http development keeps the
 * bare names.
 */
import type { AppConfig } from '../config.js';

export interface CookiePolicy {
  secure: boolean;
  /** The cookie's name under this policy: `__Host-<base>` when secure. */
  name(base: string): string;
}

export function cookiePolicy(config: Pick<AppConfig, 'isProduction' | 'publicUrl'>): CookiePolicy {
  const secure = config.isProduction || config.publicUrl.startsWith('https:');
  return { secure, name: (base) => (secure ? `__Host-${base}` : base) };
}

/**
 * One cookie's value from the Cookie header, or undefined. Never throws: a malformed header or a
 * bad percent-escape just means "no such cookie" (our own values are URL-safe and never escaped).
 */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}
