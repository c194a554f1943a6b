/**
 * helmet with a strict Content-Security-Policy: scripts and styles only from our own origin, no
 * inline code, no framing, no referrer. `upgrade-insecure-requests` and HSTS are sent only when the
 * public URL is https: on plain HTTP they make browsers rewrite form posts to https, which then
 * fail (docs/stack.md pitfall 12).
 */
import type { RequestHandler } from 'express';
import helmet from 'helmet';

export function securityHeaders(options: { https: boolean }) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        upgradeInsecureRequests: options.https ? [] : null,
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: options.https ? { maxAge: 180 * 24 * 3600 } : false,
    crossOriginEmbedderPolicy: false,
  });
}

/**
 * `Cache-Control: no-store` for everything the app renders (mounted after the static files, which
 * keep their own caching): signed-in pages, the login page, one-time link pages and the pages
 * that show such a link must not stay in a shared computer's cache or a proxy's. A route may
 * still set its own header (the CSV exports do, to the same value).
 */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};
