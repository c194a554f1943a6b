import { randomBytes } from 'node:crypto';
import type { Executor } from '../db/database.js';
import type { Clock } from '../clock.js';
import { inTransaction } from '../db/transaction.js';
import type { AuditTrail } from '../audit/audit.service.js';
import { auditOrigin, type ActionContext } from '../audit/action-context.js';
import { insertMembership } from './memberships.service.js';
import { hashPassword } from './password.js';
import { storePasswordHash } from './set-password.service.js';
import { findUserRowByEmail, insertUser } from './users.service.js';
import type { Role } from './roles.js';

/** Demo logins; `.test` is reserved, so these can never reach a real mailbox. */
export const DEMO_SUPPORT_EMAIL = 'soporte@csd-relay.test';
export const DEMO_ADMIN_EMAIL = 'admin@csd-relay.test';

/** The one command that removes demo accounts from a live database (see cli-commands.ts). */
export const REMOVE_DEMO_COMMAND = 'npm run users -- remove-demo';

/** Credentials to print at start-up in emulator mode. */
export interface DemoCredentials {
  support: { email: string; password: string };
  admin: { email: string; password: string };
}

/**
 * Emulator (demo) mode only: ensures a support user and an account admin of `organizationId`
 * exist, enabled, with NEW random passwords, and returns them so start-up can print working
 * credentials every time. Idempotent: re-running resets the passwords instead of duplicating.
 * Never call this outside demo mode: it re-enables and resets these two accounts. Both are
 * marked `demo`, so live mode refuses a database that holds them (assertNoDemoAccounts).
 */
export async function seedDemoAccounts(
  db: Executor, audit: AuditTrail, options: { organizationId: string; now: Clock },
): Promise<DemoCredentials> {
  const ctx: ActionContext = { now: options.now, actor: null, userAgent: 'demo-seed' };
  // 15 random bytes = 20 base64url characters: passes the policy, easy to copy.
  const supportPassword = randomBytes(15).toString('base64url');
  const adminPassword = randomBytes(15).toString('base64url');
  const [supportHash, adminHash] = await Promise.all([hashPassword(supportPassword), hashPassword(adminPassword)]);

  await inTransaction(db, async (trx) => {
    await ensure(trx, audit, DEMO_SUPPORT_EMAIL, 'Soporte (demo)', 'support', supportHash, ctx);
    const adminId = await ensure(trx, audit, DEMO_ADMIN_EMAIL, 'Administradora (demo)', 'account_admin', adminHash, ctx);
    await insertMembership(trx, audit, adminId, options.organizationId, ctx);
  });
  return {
    support: { email: DEMO_SUPPORT_EMAIL, password: supportPassword },
    admin: { email: DEMO_ADMIN_EMAIL, password: adminPassword },
  };
}

async function ensure(
  trx: Executor, audit: AuditTrail, email: string, name: string, role: Role, passwordHash: string, ctx: ActionContext,
): Promise<string> {
  const at = ctx.now().toISOString();
  const existing = await findUserRowByEmail(trx, email);
  const id = existing?.id ?? (await insertUser(trx, audit, { email, name, role }, ctx)).id;
  await trx.updateTable('users').set({ disabled_at: null, demo: 1 }).where('id', '=', id).execute();
  await storePasswordHash(trx, id, passwordHash, at);
  await audit.record({ ...auditOrigin(ctx), action: 'password.set', outcome: 'success', detail: { userId: id, via: 'demo-seed' } }, trx);
  return id;
}

/** E-mails of the demo-seeded accounts in the database, sorted. */
export async function findDemoAccounts(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('users').select('email').where('demo', '=', 1).orderBy('email').execute();
  return rows.map((r) => r.email);
}

/** Thrown at a live start while demo accounts exist; the message is for the operator. */
export class DemoAccountsInLiveDatabase extends Error {
  constructor(readonly emails: string[]) {
    super([
      `This data folder's live database holds demo accounts (${emails.join(', ')}), left by a demo-mode start of an`,
      'older version. Their passwords were printed on a console, so live mode (FACTURAPI_USER_KEY set) will not start',
      'while they exist. Remove them (their sessions, memberships and links go with them; the audit trail stays) with:',
      `  ${REMOVE_DEMO_COMMAND}`,
    ].join('\n'));
    this.name = 'DemoAccountsInLiveDatabase';
  }
}

/** Live mode's start-up check: throws DemoAccountsInLiveDatabase while any demo account exists. */
export async function assertNoDemoAccounts(db: Executor): Promise<void> {
  const emails = await findDemoAccounts(db);
  if (emails.length > 0) throw new DemoAccountsInLiveDatabase(emails);
}

/**
 * Deletes every demo-seeded account; their sessions, memberships and one-time links go with them
 * (foreign keys cascade). Writes one `user.removed` event each. Returns the removed e-mails.
 */
export function removeDemoAccounts(db: Executor, audit: AuditTrail, ctx: ActionContext): Promise<string[]> {
  return inTransaction(db, async (trx) => {
    const rows = await trx.selectFrom('users').select(['id', 'email']).where('demo', '=', 1).orderBy('email').execute();
    if (rows.length === 0) return [];
    await trx.deleteFrom('users').where('demo', '=', 1).execute();
    for (const row of rows) {
      await audit.record({
        ...auditOrigin(ctx), action: 'user.removed', outcome: 'success', detail: { userId: row.id, email: row.email, via: 'remove-demo' },
      }, trx);
    }
    return rows.map((r) => r.email);
  });
}
