/**
 * `npm run reminders -- --dry-run` as a real process over demo mode's database, for an
 * organization whose admins have no account (the demo's *Transportes del Bajío*, CSD expired 12
 * days ago: its day-0 reminder is due): the dry run says nobody gets it; once support set a
 * reminder contact, it says the contact gets it with a one-time upload link; the real run sends it
 * (here: into the outbox, masked) and creates one upload request; a second run sends nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuditTrail } from '../src/audit/audit.service.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { announceFirstRun } from '../src/first-run.js';
import { createLogger } from '../src/logger.js';
import { setReminderContact } from '../src/reminders/reminder-contacts.js';
import { startRuntime } from '../src/runtime.js';
import { REPO_ROOT } from '../tools/spawned-server.js';
import { DEMO_ORGANIZATION_IDS } from './support/app-harness.js';
import { runNode } from './support/processes.js';

let dataDir: string | undefined;
afterEach(() => {
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const CLI = path.join(REPO_ROOT, 'src/reminders/reminders-cli.ts');
const run = (args: string[]) => runNode(CLI, args, { DATA_DIR: dataDir!, LOG_LEVEL: 'warn' }, { nodeArgs: ['--import', 'tsx'], timeoutMs: 60_000 });
const ORG = DEMO_ORGANIZATION_IDS.expired;
const line = (stdout: string) => stdout.split('\n').find((l) => l.includes(`(${ORG})`)) ?? '';

async function withDatabase<T>(work: (db: ReturnType<typeof openDatabase>['db']) => Promise<T>): Promise<T> {
  const database = openDatabase({ dataDir: dataDir!, demo: true });
  try {
    return await work(database.db);
  } finally {
    await database.close();
  }
}

describe('when the operator runs npm run reminders for an organization without account admins', () => {
  it('then --dry-run says nobody gets its reminder; with a reminder contact it says the contact gets it with an upload link, and the real run sends it once', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csd-relay-cli-contacts-'));
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir });
    const runtime = await startRuntime(config, createLogger({ level: 'silent' }), () => new Date(), { inspectionPool: false });
    await announceFirstRun(config, runtime.deps, () => new Date(), () => true);
    await runtime.close();

    const nobody = await run(['--dry-run']);
    console.log(nobody.stdout);
    expect(nobody.code).toBe(0);
    expect(line(nobody.stdout)).toMatch(/^- no recipients: Transportes del Bajío \(65a1c0de0000000000000005\) CSD 00001000000401230004, expired 12 day\(s\) ago, 0-day reminder -> nobody: no account admin and no reminder contact \(support can set one on the organization page\)$/);

    await withDatabase((db) => setReminderContact({ db, audit: createAuditTrail(db, { now: () => new Date() }) }, { organizationId: ORG, email: 'contacto@transportes.example', language: 'es' }, { now: () => new Date(), actor: null, userAgent: 'test' }));
    const contact = await run(['--dry-run']);
    console.log(contact.stdout);
    expect(line(contact.stdout)).toBe('- would send: Transportes del Bajío (65a1c0de0000000000000005) CSD 00001000000401230004, expired 12 day(s) ago, 0-day reminder -> reminder contact contacto@transportes.example (es) (no account admin), with a one-time upload link');
    expect(await withDatabase(async (db) => (await db.selectFrom('upload_requests').select('id').execute()).length)).toBe(0);

    const real = await run([]);
    expect(real.code).toBe(0);
    expect(line(real.stdout)).toMatch(/^- sent: Transportes del Bajío .* -> reminder contact contacto@transportes\.example \(es\)/);
    const again = await run([]);
    expect(line(again.stdout)).toMatch(/^- already sent: Transportes del Bajío/);
    const stored = await withDatabase(async (db) => ({
      requests: (await db.selectFrom('upload_requests').select(['organization_id', 'email']).execute()),
      mails: (await db.selectFrom('mail_messages').select(['subject', 'text_body']).where('recipient', '=', 'contacto@transportes.example').execute()),
    }));
    expect(stored.requests).toEqual([{ organization_id: ORG, email: 'contacto@transportes.example' }]);
    expect(stored.mails.map((m) => m.subject)).toEqual(['El CSD de Transportes del Bajío venció']);
    expect(stored.mails[0]!.text_body).toMatch(/Subir el CSD nuevo: http:\/\/\S+\/upload-requests\/\[enlace privado/);
  }, 120_000);
});
