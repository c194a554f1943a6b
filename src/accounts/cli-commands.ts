import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import type { AuditTrail } from '../audit/audit.service.js';
import type { Clock } from '../clock.js';
import type { Database } from '../db/schema.js';
import type { ActionContext } from '../audit/action-context.js';
import { AccountsError } from './accounts-errors.js';
import { removeDemoAccounts } from './demo-seed.js';
import { createPasswordReset, inviteAccountAdmin, issueInvitation } from './invitations.service.js';
import { isRole } from './roles.js';
import { setDisabled } from './user-status.service.js';
import { setPasswordLink } from './set-password-link.js';
import { createUser, findUserRowByEmail, listUsers } from './users.service.js';

/** What the commands need; cli.ts builds it from config, tests pass their own. */
export interface CliDeps {
  db: Kysely<Database>;
  /** Where the commands' changes are recorded (cli.ts: strict outside production, like the server's). */
  audit: AuditTrail;
  now: Clock;
  /** Origin for printed links (config.publicUrl). */
  publicUrl: string;
  /** Who ran the command (OS user), recorded as the audit user agent. */
  operator: string;
  out(line: string): void;
  err(line: string): void;
}

/** Exit codes: 0 ok, 1 refused or failed, 2 bad usage. */
export const EXIT = { ok: 0, error: 1, usage: 2 } as const;

export const USAGE = `Usage: npm run users -- <command> [options]
  create  --email E --name N --role support|account_admin [--org ORGID]
  list
  disable --email E
  enable  --email E
  invite  --email E --name N --org ORGID
  reset   --email E
  remove-demo          delete the demo-seeded accounts (live mode will not start while any exist)
Links are printed once; send them to the person. Passwords are never given on the command line.`;

class UsageError extends Error {}

const OPTIONS = {
  email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, org: { type: 'string' },
} as const;

export { setPasswordLink };

/** Runs one `users` command; returns the exit code. Never throws. */
export async function runUsersCommand(argv: readonly string[], deps: CliDeps): Promise<number> {
  try {
    const { positionals, values } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
    const [command, ...extra] = positionals;
    if (extra.length > 0) throw new UsageError(`Unexpected argument: ${extra[0]}`);
    const need = (key: keyof typeof OPTIONS): string => {
      const value = values[key]?.trim();
      if (!value) throw new UsageError(`--${key} is required for ${command}`);
      return value;
    };
    const ctx: ActionContext = { now: deps.now, actor: null, userAgent: `cli:${deps.operator}` };
    const printLink = (token: string, expiresAt: string) =>
      deps.out(`One-time link (valid until ${expiresAt}):\n  ${setPasswordLink(deps.publicUrl, token)}`);
    const userId = async (email: string) => {
      const row = await findUserRowByEmail(deps.db, email);
      if (!row) throw new AccountsError('user_not_found', `No user with email ${email}`);
      return row.id;
    };

    switch (command) {
      case 'create': {
        const role = need('role');
        if (!isRole(role)) throw new UsageError('--role must be support or account_admin');
        const user = await createUser(deps.db, deps.audit, { email: need('email'), name: need('name'), role, ...(values.org ? { organizationId: values.org } : {}) }, ctx);
        deps.out(`Created ${user.role} ${user.email}.`);
        const { token, expiresAt } = await issueInvitation(deps.db, deps.audit, user.id, ctx);
        printLink(token, expiresAt);
        return EXIT.ok;
      }
      case 'list':
        printUsers(await listUsers(deps.db), deps.out);
        return EXIT.ok;
      case 'disable':
      case 'enable': {
        const user = await setDisabled(deps.db, deps.audit, await userId(need('email')), command === 'disable', ctx);
        deps.out(`${user.email} is now ${user.disabledAt ? 'disabled (sessions ended)' : 'enabled'}.`);
        return EXIT.ok;
      }
      case 'invite': {
        const result = await inviteAccountAdmin(deps.db, deps.audit, { email: need('email'), name: need('name'), organizationId: need('org') }, ctx);
        deps.out(`${result.userCreated ? 'Invited' : 'Updated'} ${result.user.email}: ${result.membershipAdded ? 'member of' : 'already a member of'} ${need('org')}.`);
        if (result.token && result.expiresAt) printLink(result.token, result.expiresAt);
        else deps.out('They already have a password; no link needed.');
        return EXIT.ok;
      }
      case 'reset': {
        const { token, expiresAt } = await createPasswordReset(deps.db, deps.audit, await userId(need('email')), ctx);
        deps.out('The current password keeps working until the link is used.');
        printLink(token, expiresAt);
        return EXIT.ok;
      }
      case 'remove-demo': {
        const removed = await removeDemoAccounts(deps.db, deps.audit, ctx);
        deps.out(removed.length === 0
          ? 'No demo accounts to remove.'
          : `Removed ${removed.length} demo accounts (${removed.join(', ')}) with their sessions, memberships and links; the audit trail keeps their history.`);
        return EXIT.ok;
      }
      default:
        throw new UsageError(command ? `Unknown command: ${command}` : 'No command given');
    }
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      deps.err(`${(error as Error).message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    if (error instanceof AccountsError) {
      deps.err(`Refused (${error.code}): ${error.message}${error.problem ? ` [${error.problem}]` : ''}`);
      return EXIT.error;
    }
    deps.err(`Failed: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.error;
  }
}

// node:util parseArgs throws TypeErrors with codes ERR_PARSE_ARGS_* for unknown or bad options.
function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

function printUsers(users: Awaited<ReturnType<typeof listUsers>>, out: (line: string) => void): void {
  if (users.length === 0) {
    out('No users yet.');
    return;
  }
  for (const u of users) {
    const status = u.disabledAt ? 'disabled' : u.hasPassword ? 'active' : 'invited';
    const orgs = u.organizationIds.length > 0 ? u.organizationIds.join(',') : '-';
    out([u.email, u.role, status, u.lastLoginAt ?? 'never', orgs].join('\t'));
  }
}
