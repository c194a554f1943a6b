import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Executor } from '../db/database.js';
import type { InvitationRow, TokenPurpose } from '../db/schema.js';
import { isoPlus } from '../clock.js';

/** Invitations (new accounts) stay valid 72 hours, as the issue asks. */
export const INVITATION_TTL_MS = 72 * 3_600_000;
/** Password reset links: also handed over by support, so the same 72 hours. */
export const PASSWORD_RESET_TTL_MS = 72 * 3_600_000;
/** The first-run setup link printed at start-up. */
export const SETUP_TTL_MS = 60 * 60_000;

/** 32 random bytes, base64url: unguessable and safe in a URL path. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Only this is stored: a database leak must not yield working links. */
export function hashToken(rawToken: string): string {
  return createHash('sha256').update(rawToken, 'utf8').digest('hex');
}

/** What to issue. */
export interface TokenSpec {
  purpose: TokenPurpose;
  userId: string | null;
  email: string | null;
  organizationId: string | null;
  createdBy: string | null;
  ttlMs: number;
}

/**
 * Issues a token and revokes (marks used) the earlier unused ones of the same purpose for
 * the same user, so only the newest link works. Returns the raw token once.
 */
export async function issueToken(db: Executor, spec: TokenSpec, now: Date): Promise<{ token: string; expiresAt: string }> {
  const at = now.toISOString();
  let previous = db.updateTable('invitations').set({ used_at: at }).where('purpose', '=', spec.purpose).where('used_at', 'is', null);
  previous = spec.userId === null ? previous.where('user_id', 'is', null) : previous.where('user_id', '=', spec.userId);
  await previous.execute();

  const token = generateToken();
  const expiresAt = isoPlus(now, spec.ttlMs);
  await db.insertInto('invitations').values({
    id: randomUUID(), token_hash: hashToken(token), purpose: spec.purpose, user_id: spec.userId,
    email: spec.email, organization_id: spec.organizationId, created_by: spec.createdBy,
    created_at: at, expires_at: expiresAt, used_at: null,
  }).execute();
  return { token, expiresAt };
}

/** Why a token cannot be used. */
export type TokenProblem = 'unknown' | 'used' | 'expired';

/**
 * A link as the app holds it: the raw token (from the URL, the CLI's tests) or, once opened, the
 * link's id, which the session keeps instead of the token (a stored session must not hold it).
 */
export type LinkRef = string | { linkId: string };

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** The id of the link a raw token belongs to (used, expired or not), or null. */
export async function findLinkId(db: Executor, rawToken: string): Promise<string | null> {
  if (!TOKEN_SHAPE.test(rawToken)) return null;
  const row = await db.selectFrom('invitations').select('id').where('token_hash', '=', hashToken(rawToken)).executeTakeFirst();
  return row?.id ?? null;
}

/** Looks a link up and says whether it is usable now. */
export async function findToken(
  db: Executor, link: LinkRef, now: Date,
): Promise<{ ok: true; row: InvitationRow } | { ok: false; reason: TokenProblem }> {
  let query = db.selectFrom('invitations').selectAll();
  if (typeof link === 'string') {
    // Shape check first: garbage never reaches the database, and hashing is cheap anyway.
    if (!TOKEN_SHAPE.test(link)) return { ok: false, reason: 'unknown' };
    query = query.where('token_hash', '=', hashToken(link));
  } else {
    query = query.where('id', '=', link.linkId);
  }
  const row = await query.executeTakeFirst();
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.used_at !== null) return { ok: false, reason: 'used' };
  if (row.expires_at <= now.toISOString()) return { ok: false, reason: 'expired' };
  return { ok: true, row };
}

/**
 * Marks the token used if, and only if, it is still unused and unexpired. A single
 * conditional UPDATE, so two concurrent uses (even from two processes, or on PostgreSQL)
 * cannot both succeed. Must be the transaction's first write.
 */
export async function claimToken(db: Executor, tokenId: string, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const result = await db.updateTable('invitations').set({ used_at: at })
    .where('id', '=', tokenId).where('used_at', 'is', null).where('expires_at', '>', at)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
