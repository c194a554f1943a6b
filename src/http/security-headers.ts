/**
 * helmet with a strict Content-Security-Policy: scripts and styles only from our own origin, no
 * inline code, no framing, no referrer. `upgrade-insecure-requests` and HSTS are sent only when the
 * public URL is https: on plain HTTP they make browsers rewrite form posts to https, which then
 * fail (docs/stack.md pitfall 12).
 */
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
