import type { Executor } from '../db/database.js';
import type { TokenPurpose } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import type { AuditTrail } from '../audit/audit.service.js';
import { auditOrigin, type ActionContext } from '../audit/action-context.js';
import { AccountsError } from './accounts-errors.js';
import { insertMembership } from './memberships.service.js';
import { isOrganizationId } from '../facturapi/organization-id.js';
import { holdsMemberships } from './roles.js';
import {
  findToken, issueToken, INVITATION_TTL_MS, PASSWORD_RESET_TTL_MS, SETUP_TTL_MS, type LinkRef, type TokenProblem,
} from './one-time-tokens.js';
import { findUserRowByEmail, getUserRow, hasAnyUser, insertUser, toUser, type User } from './users.service.js';

/** A freshly issued one-time link token (raw: show it once, never log it). */
export interface IssuedToken {
  token: string;
  expiresAt: string;
}

/**
 * The first-run link for creating the first support account. Only while no user exists
 * (throws `setup_closed` otherwise); each call revokes the previous setup link.
 */
export function createSetupToken(db: Executor, now: Date, ttlMs = SETUP_TTL_MS): Promise<IssuedToken> {
  return inTransaction(db, async (trx) => {
    if (await hasAnyUser(trx)) throw new AccountsError('setup_closed', 'Setup is only possible before the first user exists');
    return issueToken(trx, { purpose: 'setup', userId: null, email: null, organizationId: null, createdBy: null, ttlMs }, now);
  });
}

/** Input of inviteAccountAdmin. */
export interface Invitation {
  email: string;
  name: string;
  organizationId: string;
}

/** Result: `token` is null when the person already has a password (the membership is enough). */
export interface InvitationResult {
  user: User;
  token: string | null;
  expiresAt: string | null;
  userCreated: boolean;
  membershipAdded: boolean;
}

/**
 * Invites an account admin to an organization. A new email gets a user without a password
 * and a 72 h link. An existing account admin gets the membership; if they never set a
 * password, also a fresh link (the old one is revoked). Support accounts cannot be invited
 * to organizations (`not_account_admin`).
 */
export function inviteAccountAdmin(db: Executor, audit: AuditTrail, input: Invitation, ctx: ActionContext): Promise<InvitationResult> {
  if (!isOrganizationId(input.organizationId)) {
    throw new AccountsError('invalid_organization_id', 'Organization ids are 24 hexadecimal characters');
  }
  return inTransaction(db, async (trx) => {
    const existing = await findUserRowByEmail(trx, input.email);
    if (existing && !holdsMemberships(existing.role)) {
      throw new AccountsError('not_account_admin', 'That email belongs to a support account');
    }
    const user = existing
      ? toUser(existing)
      : await insertUser(trx, audit, { email: input.email, name: input.name, role: 'account_admin' }, ctx);
    const membershipAdded = await insertMembership(trx, audit, user.id, input.organizationId, ctx);
    if (user.hasPassword) {
      return { user, token: null, expiresAt: null, userCreated: false, membershipAdded };
    }
    const issued = await issueFor(trx, audit, 'invitation', user, input.organizationId, ctx);
    return { user, ...issued, userCreated: !existing, membershipAdded };
  });
}

/** A 72 h set-password link for a user just created without a password (the CLI's `create`). */
export function issueInvitation(db: Executor, audit: AuditTrail, userId: string, ctx: ActionContext): Promise<IssuedToken> {
  return inTransaction(db, async (trx) => issueFor(trx, audit, 'invitation', toUser(await getUserRow(trx, userId)), null, ctx));
}

/** A 72 h password reset link; the current password keeps working until the link is used. */
export function createPasswordReset(db: Executor, audit: AuditTrail, userId: string, ctx: ActionContext): Promise<IssuedToken> {
  return inTransaction(db, async (trx) => issueFor(trx, audit, 'password_reset', toUser(await getUserRow(trx, userId)), null, ctx));
}

async function issueFor(
  trx: Executor, audit: AuditTrail, purpose: Exclude<TokenPurpose, 'setup'>, user: User, organizationId: string | null, ctx: ActionContext,
): Promise<IssuedToken> {
  const issued = await issueToken(trx, {
    purpose, userId: user.id, email: user.email, organizationId, createdBy: ctx.actor?.id ?? null,
    ttlMs: purpose === 'invitation' ? INVITATION_TTL_MS : PASSWORD_RESET_TTL_MS,
  }, ctx.now());
  await audit.record({
    ...auditOrigin(ctx), action: purpose === 'invitation' ? 'invitation.created' : 'password_reset.created',
    outcome: 'success', organizationId, detail: { userId: user.id, email: user.email, expiresAt: issued.expiresAt },
  }, trx);
  return issued;
}

/** What the set-password page needs to know about a link. */
export type TokenPeek =
  | { valid: true; purpose: TokenPurpose; email: string | null; expiresAt: string }
  | { valid: false; reason: TokenProblem };

/** Checks a link without using it (to render the set-password form). */
export async function peekToken(db: Executor, link: LinkRef, now: Date): Promise<TokenPeek> {
  const found = await findToken(db, link, now);
  if (!found.ok) return { valid: false, reason: found.reason };
  // A setup link printed before someone else finished setup is dead.
  if (found.row.purpose === 'setup' && (await hasAnyUser(db))) return { valid: false, reason: 'used' };
  return { valid: true, purpose: found.row.purpose, email: found.row.email, expiresAt: found.row.expires_at };
}
