import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Executor } from '../../src/db/database.js';
import type { UserRow } from '../../src/db/schema.js';
import type { ActionContext } from '../../src/audit/action-context.js';
import { hashPassword } from '../../src/accounts/password.js';
import { dialectOf } from '../../src/db/dialect.js';

/** The password every built user has unless told otherwise. */
export const TEST_PASSWORD = 'the right password 42';

let cachedHash: Promise<string> | undefined;

/** Inserts a user row (with TEST_PASSWORD and an optional membership); returns the row. */
export async function buildUser(
  db: Executor,
  overrides: Partial<UserRow> & { organizationIds?: string[] } = {},
): Promise<UserRow> {
  const { organizationIds = [], ...fields } = overrides;
  cachedHash ??= hashPassword(TEST_PASSWORD);
  const id = fields.id ?? randomUUID();
  const row: UserRow = {
    id, email: `user-${id.slice(0, 8)}@example.com`, name: 'Test User', role: 'account_admin',
    password_hash: await cachedHash, disabled_at: null, created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z', last_login_at: null, demo: 0, language: 'es', reminders_opted_out_at: null, ...fields,
  };
  await db.insertInto('users').values(row).execute();
  for (const organizationId of organizationIds) {
    await db.insertInto('memberships')
      .values({ user_id: row.id, organization_id: organizationId, created_at: row.created_at, created_by: null })
      .execute();
  }
  return row;
}

/** The support user buildContext acts as; insert it with buildUser(db, SUPPORT_ACTOR_ROW). */
export const SUPPORT_ACTOR_ROW = { id: 'support-actor', email: 'support@example.com', role: 'support' } as const;

/** An ActionContext for tests: SUPPORT_ACTOR_ROW as actor unless `actor` is given. */
export function buildContext(now: () => Date, overrides: Partial<ActionContext> = {}): ActionContext {
  return {
    now, actor: { id: 'support-actor', email: 'support@example.com', role: 'support' },
    ip: '198.51.100.1', userAgent: 'vitest', requestId: 'req-test', ...overrides,
  };
}

/** Actions of the audit trail, oldest first, for asserting what a service wrote. */
export async function auditActions(db: Executor): Promise<string[]> {
  // The physical row order (tests only) breaks ties between events of the same instant: SQLite's
  // rowid; PostgreSQL's ctid, which is insertion order for rows never updated (these tests' rows).
  const tieBreak = dialectOf(db) === 'postgres' ? sql`ctid` : sql`rowid`;
  const rows = await db.selectFrom('audit_events').select('action').orderBy('occurred_at').orderBy(tieBreak).execute();
  return rows.map((r) => r.action);
}
