import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../db/database.js';
import { createTestClock, createTestDatabase } from '../../test/support/test-database.js';
import { authenticate } from './auth.service.js';
import { runUsersCommand, type CliDeps } from './cli-commands.js';
import { createAuditTrail } from '../audit/audit.service.js';
import { consumeToken } from './consume-token.service.js';
import { DEMO_ADMIN_EMAIL, DEMO_SUPPORT_EMAIL, seedDemoAccounts } from './demo-seed.js';
import { findUserRowByEmail, getActor, listUsers } from './users.service.js';
import { buildContext, buildUser, TEST_PASSWORD } from '../../test/support/builders.js';

const ORG = '0123456789abcdef01234567';
const LINK = /http:\/\/127\.0\.0\.1:3000\/account\/set-password\/([A-Za-z0-9_-]{43})/;

let opened: OpenDatabase;
let out: string[];
let err: string[];
let deps: CliDeps;
beforeEach(async () => {
  opened = await createTestDatabase();
  out = [];
  err = [];
  const now = createTestClock();
  deps = {
    db: opened.db, audit: createAuditTrail(opened.db, { now }), now, publicUrl: 'http://127.0.0.1:3000', operator: 'ops',
    out: (line) => out.push(line), err: (line) => err.push(line),
  };
});
afterEach(() => opened.close());

const run = (...argv: string[]) => runUsersCommand(argv, deps);
function linkToken(): string {
  const match = LINK.exec(out.join('\n'));
  if (!match?.[1]) throw new Error(`no link printed in: ${out.join('\n')}`);
  return match[1];
}

describe('users CLI', () => {
  it('create prints a working one-time link and never a password; the audit names the operator', async () => {
    expect(await run('create', '--email', 'Sam@Example.com', '--name', 'Sam', '--role', 'support')).toBe(0);
    const result = await consumeToken(opened.db, deps.audit, linkToken(), { password: 'sam sets this one' }, buildContext(deps.now));
    expect(result).toMatchObject({ ok: true, user: { email: 'sam@example.com', role: 'support' } });
    const event = await opened.db.selectFrom('audit_events').selectAll().where('action', '=', 'user.created').executeTakeFirstOrThrow();
    expect(event).toMatchObject({ actor_user_id: null, user_agent: 'cli:ops' });
  });

  it('create of an account admin with --org makes them a member', async () => {
    expect(await run('create', '--email', 'bea@example.com', '--name', 'Bea', '--role', 'account_admin', '--org', ORG)).toBe(0);
    const [bea] = await listUsers(opened.db);
    expect(bea?.organizationIds).toEqual([ORG]);
  });

  it('invite prints a link for a new admin, and no link for one who already has a password', async () => {
    expect(await run('invite', '--email', 'bea@example.com', '--name', 'Bea', '--org', ORG)).toBe(0);
    expect(out.join('\n')).toMatch(LINK);

    await buildUser(opened.db, { email: 'ana@example.com' });
    out = [];
    expect(await run('invite', '--email', 'ana@example.com', '--name', 'Ana', '--org', ORG)).toBe(0);
    expect(out.join('\n')).not.toMatch(LINK);
    expect(out.join('\n')).toContain('already have a password');
  });

  it('disable ends access and enable restores it', async () => {
    const ana = await buildUser(opened.db, { email: 'ana@example.com' });
    expect(await run('disable', '--email', 'ANA@example.com')).toBe(0);
    expect(await getActor(opened.db, ana.id)).toBeNull();
    expect(await run('enable', '--email', 'ana@example.com')).toBe(0);
    expect((await authenticate(opened.db, 'ana@example.com', TEST_PASSWORD)).ok).toBe(true);
  });

  it('reset prints a link that replaces the password', async () => {
    await buildUser(opened.db, { email: 'ana@example.com' });
    expect(await run('reset', '--email', 'ana@example.com')).toBe(0);
    await consumeToken(opened.db, deps.audit, linkToken(), { password: 'ana new passphrase' }, buildContext(deps.now));
    expect((await authenticate(opened.db, 'ana@example.com', 'ana new passphrase')).ok).toBe(true);
  });

  it('list shows each user with role, status and organizations', async () => {
    await buildUser(opened.db, { email: 'bea@example.com', organizationIds: [ORG] });
    await buildUser(opened.db, { email: 'zed@example.com', role: 'support', password_hash: null });
    expect(await run('list')).toBe(0);
    expect(out).toEqual([
      `bea@example.com\taccount_admin\tactive\tnever\t${ORG}`,
      'zed@example.com\tsupport\tinvited\tnever\t-',
    ]);
  });

  it('remove-demo deletes the demo-seeded accounts with their sessions and memberships, audited, and keeps everyone else', async () => {
    await seedDemoAccounts(opened.db, deps.audit, { organizationId: ORG, now: deps.now });
    const ana = await buildUser(opened.db, { email: 'ana@example.com', organizationIds: [ORG] });
    const demoAdmin = await findUserRowByEmail(opened.db, DEMO_ADMIN_EMAIL);
    await opened.db.insertInto('sessions').values({ sid_hash: 'h', user_id: demoAdmin!.id, data: '{}', created_at: 'x', last_seen_at: 'x', expires_at: 'z' }).execute();

    expect(await run('remove-demo')).toBe(0);
    expect(out).toEqual([`Removed 2 demo accounts (${DEMO_ADMIN_EMAIL}, ${DEMO_SUPPORT_EMAIL}) with their sessions, memberships and links; the audit trail keeps their history.`]);
    expect((await listUsers(opened.db)).map((u) => u.email)).toEqual([ana.email]);
    expect(await opened.db.selectFrom('sessions').selectAll().execute()).toEqual([]);
    expect(await opened.db.selectFrom('memberships').select('user_id').execute()).toEqual([{ user_id: ana.id }]);
    const removed = await opened.db.selectFrom('audit_events').select(['actor_user_id', 'user_agent', 'detail']).where('action', '=', 'user.removed').execute();
    expect(removed.map((e) => ({ ...e, detail: JSON.parse(e.detail!) as unknown })).sort((a, b) => (a.detail as { email: string }).email.localeCompare((b.detail as { email: string }).email))).toEqual([
      { actor_user_id: null, user_agent: 'cli:ops', detail: { userId: demoAdmin!.id, email: DEMO_ADMIN_EMAIL, via: 'remove-demo' } },
      { actor_user_id: null, user_agent: 'cli:ops', detail: { userId: expect.any(String), email: DEMO_SUPPORT_EMAIL, via: 'remove-demo' } },
    ]);

    out = [];
    expect(await run('remove-demo')).toBe(0);
    expect(out).toEqual(['No demo accounts to remove.']);
  });

  it.each([
    [[], 'No command given'],
    [['frobnicate'], 'Unknown command: frobnicate'],
    [['disable'], '--email is required for disable'],
    [['create', '--email', 'x@example.com', '--name', 'X', '--role', 'root'], '--role must be support or account_admin'],
    [['list', '--password', 'hunter2'], "Unknown option '--password'"],
  ])('usage mistakes %j exit with 2 and explain', async (argv, message) => {
    expect(await run(...argv)).toBe(2);
    expect(err.join('\n')).toContain(message);
    expect(err.join('\n')).toContain('Usage: npm run users');
  });

  it('refusals exit with 1 and a clear message', async () => {
    expect(await run('disable', '--email', 'nobody@example.com')).toBe(1);
    expect(err.join('\n')).toContain('Refused (user_not_found): No user with email nobody@example.com');
    expect(await run('invite', '--email', 'b@example.com', '--name', 'B', '--org', 'not-an-org')).toBe(1);
    expect(err.join('\n')).toContain('invalid_organization_id');
  });
});
