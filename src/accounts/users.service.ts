import { randomUUID } from 'node:crypto';
import type { Executor } from '../db/database.js';
import type { UserRow } from '../db/schema.js';
import { preparedQuery } from '../db/prepared-query.js';
import type { AuditTrail } from '../audit/audit.service.js';
import { auditOrigin, type ActionContext } from '../audit/action-context.js';
import { AccountsError } from './accounts-errors.js';
import { isOrganizationId } from '../facturapi/organization-id.js';
import { insertMembership } from './memberships.service.js';
import { inTransaction } from '../db/transaction.js';
import { holdsMemberships, type Role } from './roles.js';

/** A user as the rest of the app sees it: never the password hash. */
export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** False until an invitation or setup link has been used. */
  hasPassword: boolean;
  disabledAt: string | null;
  createdAt: string;
  lastLoginAt: string | null;
}

/** A user with the organizations they belong to (empty for support). */
export type UserWithMemberships = User & { organizationIds: string[] };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// Control characters (NUL included, which PostgreSQL refuses in any text) belong in no address or name.
const CONTROL = /\p{Cc}/u;

/** Lower-cases and trims; throws `invalid_email` for something that is not an address. */
export function normalizeEmail(email: string): string {
  const normalized = email.trim().toLowerCase();
  if (normalized.length > 254 || !EMAIL.test(normalized) || CONTROL.test(normalized)) {
    throw new AccountsError('invalid_email', 'That is not a valid email address');
  }
  return normalized;
}

/** Maps a row to a User. */
export function toUser(row: UserRow): User {
  return {
    id: row.id, email: row.email, name: row.name, role: row.role,
    hasPassword: row.password_hash !== null, disabledAt: row.disabled_at,
    createdAt: row.created_at, lastLoginAt: row.last_login_at,
  };
}

/** Finds a user by email (any case), or undefined. */
export async function findUserRowByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  // No stored address holds a NUL, and PostgreSQL refuses one in any text parameter (an error, so a
  // 500, where a wrong login belongs): such an address simply matches nobody.
  if (email.includes('\u0000')) return undefined;
  return db.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
}

/** Finds a user by id; throws `user_not_found`. */
export async function getUserRow(db: Executor, userId: string): Promise<UserRow> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
  if (!row) throw new AccountsError('user_not_found', 'No such user');
  return row;
}

/** True once any user exists; while false, start-up offers the setup link. */
export async function hasAnyUser(db: Executor): Promise<boolean> {
  return (await db.selectFrom('users').select('id').limit(1).executeTakeFirst()) !== undefined;
}

// Run on every signed-in request, so compiled once (db/prepared-query.ts).
const loadActor = preparedQuery<{ userId: string }, UserRow & { organization_id: string | null }>((db, param) =>
  db
    .selectFrom('users')
    .leftJoin('memberships', 'memberships.user_id', 'users.id')
    .selectAll('users')
    .select('memberships.organization_id')
    .where('users.id', '=', param('userId'))
    .orderBy('memberships.organization_id'),
);

/**
 * The user behind a session with their memberships, or null when missing or disabled.
 * Call it on every request: disabling a user or removing a membership then takes effect at once.
 */
export async function getActor(db: Executor, userId: string): Promise<UserWithMemberships | null> {
  // One query on every request: the user's row once per membership (or once, with none).
  const { rows } = await loadActor(db, { userId });
  const row = rows[0];
  if (!row || row.disabled_at !== null) return null;
  const { organization_id: _, ...user } = row;
  return { ...toUser(user), organizationIds: rows.flatMap((r) => (r.organization_id === null ? [] : [r.organization_id])) };
}

/** Every user with their memberships, ordered by email. */
export async function listUsers(db: Executor): Promise<UserWithMemberships[]> {
  const [rows, memberships] = await Promise.all([
    db.selectFrom('users').selectAll().orderBy('email').execute(),
    db.selectFrom('memberships').select(['user_id', 'organization_id']).orderBy('organization_id').execute(),
  ]);
  return rows.map((row) => ({
    ...toUser(row),
    organizationIds: memberships.filter((m) => m.user_id === row.id).map((m) => m.organization_id),
  }));
}

/** Input of createUser. */
export interface NewUser {
  email: string;
  name: string;
  role: Role;
  /** Only for account admins: the first membership. */
  organizationId?: string;
}

/**
 * Inserts a user without a password (they set it through a one-time link) and writes
 * `user.created`. Pass a transaction to compose with other changes.
 */
export async function insertUser(db: Executor, audit: AuditTrail, input: NewUser, ctx: ActionContext): Promise<User> {
  const email = normalizeEmail(input.email);
  const name = input.name.trim();
  if (name.length === 0 || name.length > 200 || CONTROL.test(name)) throw new AccountsError('invalid_name', 'A name is required');
  if (input.organizationId !== undefined) {
    if (!isOrganizationId(input.organizationId)) {
      throw new AccountsError('invalid_organization_id', 'Organization ids are 24 hexadecimal characters');
    }
    if (!holdsMemberships(input.role)) {
      throw new AccountsError('not_account_admin', 'Only account admins belong to organizations');
    }
  }
  if (await findUserRowByEmail(db, email)) throw new AccountsError('email_taken', 'That email already has an account');
  const at = ctx.now().toISOString();
  const row: UserRow = {
    id: randomUUID(), email, name, role: input.role, password_hash: null,
    disabled_at: null, created_at: at, updated_at: at, last_login_at: null, demo: 0, language: 'es', reminders_opted_out_at: null,
  };
  await db.insertInto('users').values(row).execute();
  await audit.record({
    ...auditOrigin(ctx), action: 'user.created', outcome: 'success',
    organizationId: input.organizationId ?? null, detail: { userId: row.id, email, role: input.role },
  }, db);
  if (input.organizationId !== undefined) await insertMembership(db, audit, row.id, input.organizationId, ctx);
  return toUser(row);
}

/** Creates a user (and their first membership) atomically; see insertUser. */
export function createUser(db: Executor, audit: AuditTrail, input: NewUser, ctx: ActionContext): Promise<User> {
  return inTransaction(db, (trx) => insertUser(trx, audit, input, ctx));
}
