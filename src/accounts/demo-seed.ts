import { randomBytes } from 'node:crypto';
import type { Executor } from '../db/database.js';
import type { Clock } from '../db/clock.js';
import { inTransaction } from '../db/transaction.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import type { ActionContext } from './action-context.js';
import { insertMembership } from './memberships.service.js';
import { hashPassword } from './password.js';
import { storePasswordHash } from './set-password.service.js';
import { findUserRowByEmail, insertUser } from './users.service.js';
import type { Role } from './roles.js';

/** Demo logins; `.test` is reserved, so these can never reach a real mailbox. */
export const DEMO_SUPPORT_EMAIL = 'soporte@csd-relay.test';
export const DEMO_ADMIN_EMAIL = 'admin@csd-relay.test';

/** Credentials to print at start-up in emulator mode. */
export interface DemoCredentials {
  support: { email: string; password: string };
  admin: { email: string; password: string };
}

/**
 * Emulator (demo) mode only: ensures a support user and an account admin of `organizationId`
 * exist, enabled, with NEW random passwords, and returns them so start-up can print working
 * credentials every time. Idempotent: re-running resets the passwords instead of duplicating.
 * Never call this outside demo mode: it re-enables and resets these two accounts.
 */
export async function seedDemoAccounts(
  db: Executor, options: { organizationId: string; now: Clock },
): Promise<DemoCredentials> {
  const ctx: ActionContext = { now: options.now, actor: null, userAgent: 'demo-seed' };
  // 15 random bytes = 20 base64url characters: passes the policy, easy to copy.
  const supportPassword = randomBytes(15).toString('base64url');
  const adminPassword = randomBytes(15).toString('base64url');
  const [supportHash, adminHash] = await Promise.all([hashPassword(supportPassword), hashPassword(adminPassword)]);

  await inTransaction(db, async (trx) => {
    await ensure(trx, DEMO_SUPPORT_EMAIL, 'Soporte (demo)', 'support', supportHash, ctx);
    const adminId = await ensure(trx, DEMO_ADMIN_EMAIL, 'Administradora (demo)', 'account_admin', adminHash, ctx);
    await insertMembership(trx, adminId, options.organizationId, ctx);
  });
  return {
    support: { email: DEMO_SUPPORT_EMAIL, password: supportPassword },
    admin: { email: DEMO_ADMIN_EMAIL, password: adminPassword },
  };
}

async function ensure(
  trx: Executor, email: string, name: string, role: Role, passwordHash: string, ctx: ActionContext,
): Promise<string> {
  const at = ctx.now().toISOString();
  const existing = await findUserRowByEmail(trx, email);
  const id = existing?.id ?? (await insertUser(trx, { email, name, role }, ctx)).id;
  if (existing?.disabled_at) await trx.updateTable('users').set({ disabled_at: null }).where('id', '=', id).execute();
  await storePasswordHash(trx, id, passwordHash, at);
  await recordAuditEvent(trx, { actor: null, userAgent: 'demo-seed', action: 'password.set', outcome: 'success', detail: { userId: id, via: 'demo-seed' } }, ctx);
  return id;
}
