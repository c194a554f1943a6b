import type { Executor } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import type { AuditTrail } from '../audit/audit.service.js';
import { auditOrigin, type ActionContext } from '../audit/action-context.js';
import { AccountsError } from './accounts-errors.js';
import { isOrganizationId } from '../facturapi/organization-id.js';
import { holdsMemberships } from './roles.js';

/** Which membership to add or remove. */
export interface MembershipInput {
  userId: string;
  organizationId: string;
}

/**
 * Inserts a membership unless it exists and writes `membership.added`; returns whether it
 * was added. No checks: callers validated the user and the id (used inside bigger changes).
 */
export async function insertMembership(
  db: Executor, audit: AuditTrail, userId: string, organizationId: string, ctx: ActionContext,
): Promise<boolean> {
  const result = await db
    .insertInto('memberships')
    .values({ user_id: userId, organization_id: organizationId, created_at: ctx.now().toISOString(), created_by: ctx.actor?.id ?? null })
    .onConflict((oc) => oc.columns(['user_id', 'organization_id']).doNothing())
    .executeTakeFirst();
  const added = Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  if (added) {
    await audit.record({
      ...auditOrigin(ctx), action: 'membership.added', outcome: 'success', organizationId, detail: { userId },
    }, db);
  }
  return added;
}

/**
 * Gives an account admin access to an organization. Idempotent: returns false when the
 * membership already existed. Support staff have no memberships (they see everything).
 */
export function addMembership(db: Executor, audit: AuditTrail, input: MembershipInput, ctx: ActionContext): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    await requireAccountAdmin(trx, input);
    return insertMembership(trx, audit, input.userId, input.organizationId, ctx);
  });
}

/** Takes the access away at once (getActor reads memberships per request). Returns whether one was removed. */
export function removeMembership(db: Executor, audit: AuditTrail, input: MembershipInput, ctx: ActionContext): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const result = await trx
      .deleteFrom('memberships')
      .where('user_id', '=', input.userId)
      .where('organization_id', '=', input.organizationId)
      .executeTakeFirst();
    const removed = Number(result.numDeletedRows) > 0;
    if (removed) {
      await audit.record({
        ...auditOrigin(ctx), action: 'membership.removed', outcome: 'success',
        organizationId: input.organizationId, detail: { userId: input.userId },
      }, trx);
    }
    return removed;
  });
}

async function requireAccountAdmin(db: Executor, input: MembershipInput): Promise<void> {
  if (!isOrganizationId(input.organizationId)) {
    throw new AccountsError('invalid_organization_id', 'Organization ids are 24 hexadecimal characters');
  }
  const user = await db.selectFrom('users').select('role').where('id', '=', input.userId).executeTakeFirst();
  if (!user) throw new AccountsError('user_not_found', 'No such user');
  if (!holdsMemberships(user.role)) {
    throw new AccountsError('not_account_admin', 'Only account admins belong to organizations');
  }
}
