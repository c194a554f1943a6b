import type { Executor } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import type { AuditTrail } from '../audit/audit.service.js';
import { auditOrigin, type ActionContext } from '../audit/action-context.js';
import { AccountsError } from './accounts-errors.js';
import { deleteUserSessions } from './session-store.js';
import { getUserRow, toUser, type User } from './users.service.js';

/**
 * Disables or re-enables a user and writes `user.disabled` / `user.enabled`.
 * Disabling deletes every session of that user in the same transaction, so they are out at
 * their next request, and refuses to disable the acting user (no self-lockout).
 * Idempotent: disabling a disabled user keeps the original date and writes no event.
 */
export function setDisabled(db: Executor, audit: AuditTrail, userId: string, disabled: boolean, ctx: ActionContext): Promise<User> {
  return inTransaction(db, async (trx) => {
    const row = await getUserRow(trx, userId);
    if (disabled && ctx.actor?.id === userId) {
      throw new AccountsError('cannot_disable_self', 'You cannot disable your own account');
    }
    if ((row.disabled_at !== null) === disabled) return toUser(row);
    const at = ctx.now().toISOString();
    const disabledAt = disabled ? at : null;
    await trx.updateTable('users').set({ disabled_at: disabledAt, updated_at: at }).where('id', '=', userId).execute();
    if (disabled) await deleteUserSessions(trx, userId);
    await audit.record({
      ...auditOrigin(ctx), action: disabled ? 'user.disabled' : 'user.enabled', outcome: 'success',
      detail: { userId, email: row.email },
    }, trx);
    return toUser({ ...row, disabled_at: disabledAt, updated_at: at });
  });
}
