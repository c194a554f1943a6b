/**
 * What a person starting the app needs to know at once: in demo mode, working demo logins; on a
 * real first run, the one-time link that creates the first support account. Printed as plain
 * text on stderr (the log stream on stdout stays JSON); secrets never go through the logger.
 */
import { seedDemoAccounts } from './accounts/demo-seed.js';
import { createSetupToken } from './accounts/invitations.service.js';
import { hasAnyUser } from './accounts/users.service.js';
import { setPasswordLink } from './accounts/set-password-link.js';
import type { AuditTrail } from './audit/audit.service.js';
import type { AppConfig } from './config.js';
import type { Executor } from './db/database.js';
import { DEMO_ORGANIZATION_IDS } from '../emulator/index.js';

function box(lines: string[]): string {
  const width = Math.max(...lines.map((l) => l.length));
  const rule = '─'.repeat(width + 2);
  return [`┌${rule}┐`, ...lines.map((l) => `│ ${l.padEnd(width)} │`), `└${rule}┘`].join('\n');
}

export async function announceFirstRun(
  config: AppConfig, { db, audit }: { db: Executor; audit: AuditTrail }, now: () => Date, write = (s: string) => process.stderr.write(s),
): Promise<void> {
  if (config.facturapi.mode === 'emulator' && config.demoAccounts) {
    const organizationId = DEMO_ORGANIZATION_IDS.expiresSoon;
    const demo = await seedDemoAccounts(db, audit, { organizationId, now });
    write(`${box([
      'DEMO MODE: a local Facturapi emulator is running; nothing is sent to Facturapi.',
      `Open ${config.publicUrl}`,
      `Support staff:  ${demo.support.email}  password: ${demo.support.password}`,
      `Account admin:  ${demo.admin.email}  password: ${demo.admin.password}`,
      `  (member of organization ${organizationId})`,
      'A CSD to try: npm run demo:csd   (new passwords are generated at every start)',
    ])}\n`);
    return;
  }
  if (await hasAnyUser(db)) return;
  const setup = await createSetupToken(db, now());
  write(`${box([
    'FIRST RUN: no accounts exist yet. Create the first support account with this one-time link',
    `(valid until ${setup.expiresAt}; a restart prints a new one):`,
    setPasswordLink(config.publicUrl, setup.token),
  ])}\n`);
}
