/** The account admins of one organization (its page lists them), disabled ones included and marked. */
import type { Executor } from '../db/database.js';
import { toUser, type User } from './users.service.js';

export async function listAccountAdminsOf(db: Executor, organizationId: string): Promise<User[]> {
  const rows = await db
    .selectFrom('users')
    .innerJoin('memberships', 'memberships.user_id', 'users.id')
    .selectAll('users')
    .where('memberships.organization_id', '=', organizationId)
    .where('users.role', '=', 'account_admin')
    .orderBy('users.name')
    .execute();
  return rows.map(toUser);
}
