import type { Executor } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import { auditOrigin, type ActionContext } from '../audit/action-context.js';
import type { AuditTrail } from '../audit/audit.service.js';
import { hashPassword, verifyPassword } from './password.js';
import { findUserRowByEmail, toUser, type User } from './users.service.js';

/**
 * Outcome of a login attempt. The web layer must show ONE message for every failure;
 * `reason` is only for the audit trail. `disabled` is reported only when the password was
 * right, so it never reveals more than a successful login would.
 */
export type AuthResult =
  | { ok: true; user: User }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'disabled'; user: User };

// Verified against when there is no real hash, so an unknown email costs the same time as a
// wrong password and response times do not reveal which accounts exist. Computed once, lazily.
let dummyHash: Promise<string> | undefined;
function getDummyHash(): Promise<string> {
  dummyHash ??= hashPassword('dummy password that never matches anything');
  return dummyHash;
}

/** Checks an email and password. Always does one argon2 verification. */
export async function authenticate(db: Executor, email: string, password: string): Promise<AuthResult> {
  const row = await findUserRowByEmail(db, email);
  const storedHash = row?.password_hash ?? (await getDummyHash());
  const matches = await verifyPassword(storedHash, password);
  if (!row || row.password_hash === null || !matches) return { ok: false, reason: 'invalid' };
  if (row.disabled_at !== null) return { ok: false, reason: 'disabled', user: toUser(row) };
  return { ok: true, user: toUser(row) };
}

/** Stamps last_login_at and writes `login.success` together. Call after regenerating the session. */
export async function recordLogin(db: Executor, audit: AuditTrail, user: User, ctx: ActionContext): Promise<void> {
  const at = ctx.now().toISOString();
  await inTransaction(db, async (trx) => {
    await trx.updateTable('users').set({ last_login_at: at }).where('id', '=', user.id).execute();
    await audit.record({
      ...auditOrigin({ ...ctx, actor: { id: user.id, email: user.email, role: user.role } }),
      action: 'login.success', outcome: 'success',
    }, trx);
  });
}
