import type { Executor } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import type { AuditTrail } from '../audit/audit.service.js';
import { auditOrigin, type ActionContext } from '../audit/action-context.js';
import { AccountsError } from './accounts-errors.js';
import { checkPasswordPolicy, hashPassword } from './password.js';
import { deleteUserSessions } from './session-store.js';
import { getUserRow } from './users.service.js';

/** Throws `password_policy` (with the problem) when the password is not acceptable. */
export function assertPasswordPolicy(password: string, email: string | null): void {
  const problem = checkPasswordPolicy(password, { email });
  if (problem) throw new AccountsError('password_policy', 'The password does not meet the policy', problem);
}

/**
 * Stores an already computed hash and ends every other session of the user: after a
 * password change, whoever knew the old one must be logged out. No audit event (callers
 * write the one that fits: password.set, invitation.accepted, setup.completed).
 */
export async function storePasswordHash(db: Executor, userId: string, passwordHash: string, at: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash, updated_at: at }).where('id', '=', userId).execute();
  await deleteUserSessions(db, userId);
}

/**
 * Sets a user's password directly (e.g. "change my password" for a logged-in user) and writes
 * `password.set`. Operators never type someone else's password: they use a reset link.
 */
export async function setPassword(db: Executor, audit: AuditTrail, userId: string, newPassword: string, ctx: ActionContext): Promise<void> {
  const row = await getUserRow(db, userId);
  assertPasswordPolicy(newPassword, row.email);
  // Hash outside the transaction: ~100 ms of CPU should not hold the write lock.
  const passwordHash = await hashPassword(newPassword);
  await inTransaction(db, async (trx) => {
    await storePasswordHash(trx, userId, passwordHash, ctx.now().toISOString());
    await audit.record({ ...auditOrigin(ctx), action: 'password.set', outcome: 'success', detail: { userId } }, trx);
  });
}
