import type { Executor } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import type { AuditAction } from '../audit/audit-actions.js';
import { auditOrigin, type ActionContext } from '../audit/action-context.js';
import type { AuditTrail } from '../audit/audit.service.js';
import { AccountsError } from './accounts-errors.js';
import { claimToken, findToken, type LinkRef, type TokenProblem } from './one-time-tokens.js';
import { hashPassword } from './password.js';
import { assertPasswordPolicy, storePasswordHash } from './set-password.service.js';
import { getUserRow, hasAnyUser, insertUser, normalizeEmail, toUser, type User } from './users.service.js';
import type { TokenPurpose } from '../db/schema.js';

/** What the person typed on the set-password page. Email and name only for the setup link. */
export interface SetPasswordForm {
  password: string;
  email?: string;
  name?: string;
}

/** Result of using a link. Policy and input problems are thrown as AccountsError instead. */
export type ConsumeResult =
  | { ok: true; user: User; purpose: TokenPurpose }
  | { ok: false; reason: TokenProblem };

const ACCEPTED: Record<TokenPurpose, AuditAction> = {
  setup: 'setup.completed',
  invitation: 'invitation.accepted',
  password_reset: 'password.set',
};

/**
 * Uses a one-time link to set a password: the setup link creates the first support user,
 * the others set the password of their user (and end that user's sessions).
 * Single use even under concurrency: the claim is one conditional UPDATE, done first in the
 * transaction; the loser gets `{ ok: false, reason: 'used' }`.
 * Throws AccountsError for a password against the policy (the link stays usable) and
 * `setup_closed` if a user appeared since the setup link was printed.
 */
export async function consumeToken(db: Executor, audit: AuditTrail, link: LinkRef, form: SetPasswordForm, ctx: ActionContext): Promise<ConsumeResult> {
  const found = await findToken(db, link, ctx.now());
  if (!found.ok) return found;
  const token = found.row;
  const email = token.purpose === 'setup' ? normalizeEmail(form.email ?? '') : token.email;
  assertPasswordPolicy(form.password, email);
  // Hash before the transaction: ~100 ms of CPU must not hold the write lock.
  const passwordHash = await hashPassword(form.password);

  return inTransaction(db, async (trx) => {
    const now = ctx.now();
    if (!(await claimToken(trx, token.id, now))) return { ok: false, reason: 'used' } as const;
    const at = now.toISOString();
    let user: User;
    if (token.purpose === 'setup') {
      if (await hasAnyUser(trx)) throw new AccountsError('setup_closed', 'Setup is only possible before the first user exists');
      user = await insertUser(trx, audit, { email: email ?? '', name: form.name ?? '', role: 'support' }, ctx);
    } else {
      if (!token.user_id) throw new Error(`Token ${token.id} has no user`);
      user = toUser(await getUserRow(trx, token.user_id));
    }
    await storePasswordHash(trx, user.id, passwordHash, at);
    // The person who used the link is the actor, even though nobody was signed in.
    await audit.record({
      ...auditOrigin({ ...ctx, actor: { id: user.id, email: user.email, role: user.role } }),
      action: ACCEPTED[token.purpose], outcome: 'success', organizationId: token.organization_id,
      detail: { userId: user.id, via: token.purpose },
    }, trx);
    return { ok: true, user: { ...user, hasPassword: true }, purpose: token.purpose } as const;
  });
}
