/** Test users (builders with fixed, policy-passing passwords) and how to create them. */
import { setPassword } from '../../src/accounts/set-password.service.js';
import { createUser } from '../../src/accounts/users.service.js';
import { createAuditTrail } from '../../src/audit/audit.service.js';
import type { Executor } from '../../src/db/database.js';
import { DEMO_ORGANIZATION_IDS } from '../../emulator/index.js';

export const TEST_USERS = {
  support: { email: 'soporte@example.test', name: 'Sofía Soporte', role: 'support', password: 'support-pass-phrase-42', organizationIds: [] },
  admin: {
    email: 'admin@example.test',
    name: 'Ana Administradora',
    role: 'account_admin',
    password: 'admin-pass-phrase-42',
    organizationIds: [DEMO_ORGANIZATION_IDS.noCertificate],
  },
  otherAdmin: {
    email: 'otra@example.test',
    name: 'Olga Otra',
    role: 'account_admin',
    password: 'other-pass-phrase-42',
    organizationIds: [DEMO_ORGANIZATION_IDS.expiresIn45Days],
  },
} as const;

export type TestUserName = keyof typeof TEST_USERS;

export async function createTestUser(db: Executor, name: TestUserName, now: () => Date): Promise<string> {
  const spec = TEST_USERS[name];
  const ctx = { now, actor: null, userAgent: 'test' };
  const audit = createAuditTrail(db, { now });
  const user = await createUser(db, audit, { email: spec.email, name: spec.name, role: spec.role, organizationId: spec.organizationIds[0] }, ctx);
  await setPassword(db, audit, user.id, spec.password, ctx);
  return user.id;
}
