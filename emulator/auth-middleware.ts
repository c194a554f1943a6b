import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { sendError } from './error-catalog.js';

/** sha256 of the credential in an Authorization header, so tests can compare without secrets. */
export function authorizationSha256(header: string | undefined): string | null {
  if (header === undefined) return null;
  return createHash('sha256').update(header.replace(/^Bearer\s+/i, ''), 'utf8').digest('hex');
}

/**
 * Bearer check with Facturapi-shaped 401s: no header → `missing_credentials`; an unknown
 * `sk_user_…` → `user_key_invalid`; an unknown live/test key → `api_key_invalid`; anything
 * else (wrong scheme, junk) → `unauthorized`.
 */
export function bearerAuth(userKeys: readonly string[]): RequestHandler {
  const accepted = new Set(userKeys);
  return (req, res, next) => {
    const header = req.headers.authorization;
    if (header === undefined || header.trim() === '') return sendError(res, 'missing_credentials');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const key = match?.[1];
    if (key === undefined) return sendError(res, 'unauthorized');
    if (accepted.has(key)) return next();
    if (key.startsWith('sk_user_')) return sendError(res, 'user_key_invalid');
    if (key.startsWith('sk_live_') || key.startsWith('sk_test_')) return sendError(res, 'api_key_invalid');
    return sendError(res, 'unauthorized');
  };
}
