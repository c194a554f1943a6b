/**
 * `npm run reminders -- --dry-run [--now YYYY-MM-DD]` as a real process over demo mode's database
 * (left by a demo start that seeded the demo accounts): it prints what would be sent and claims
 * and sends nothing; without --dry-run the same command sends (here: into the outbox).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { announceFirstRun } from '../src/first-run.js';
import { createLogger } from '../src/logger.js';
import { startRuntime } from '../src/runtime.js';
import { REPO_ROOT } from '../tools/spawned-server.js';
import { runNode } from './support/processes.js';

let dataDir: string | undefined;
afterEach(() => {
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const CLI = path.join(REPO_ROOT, 'src/reminders/reminders-cli.ts');
const run = (args: string[]) => runNode(CLI, args, { DATA_DIR: dataDir!, LOG_LEVEL: 'warn' }, { nodeArgs: ['--import', 'tsx'], timeoutMs: 60_000 });

async function rows(): Promise<{ claims: number; mails: number }> {
  const database = openDatabase({ dataDir: dataDir!, demo: true });
  try {
    const claims = await database.db.selectFrom('expiry_reminders').select('id').execute();
    const mails = await database.db.selectFrom('mail_messages').select('id').execute();
    return { claims: claims.length, mails: mails.length };
  } finally {
    await database.close();
  }
}

describe('when the operator runs npm run reminders', () => {
  it('then --dry-run prints the reminder the demo organization expiring within ten days would get and changes nothing; without it, it is sent once', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csd-relay-reminders-cli-'));
    // A demo start's database: the demo accounts exist (the admin manages the expiring organization).
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir });
    const runtime = await startRuntime(config, createLogger({ level: 'silent' }), () => new Date(), { inspectionPool: false });
    await announceFirstRun(config, runtime.deps, () => new Date(), () => true);
    await runtime.close();

    const dry = await run(['--dry-run']);
    console.log(dry.stdout);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('dry run: nothing claimed or sent');
    expect(dry.stdout).toMatch(/- would send: Escuela Kemper Urgate \(65a1c0de0000000000000001\) CSD 30001000000500003416, 10 day\(s\) left, 15-day reminder -> admin@csd-relay\.test \(es\)/);
    expect(await rows()).toEqual({ claims: 0, mails: 0 });

    const real = await run([]);
    expect(real.code).toBe(0);
    expect(real.stdout).toContain('- sent: Escuela Kemper Urgate');
    const again = await run(['--dry-run']);
    expect(again.stdout).toContain('- already sent: Escuela Kemper Urgate');
    expect(await rows()).toEqual({ claims: 1, mails: 1 });

    const bad = await run(['--dry-run', '--now', '1 Dec']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('usage: npm run reminders -- [--dry-run] [--now YYYY-MM-DD]');
  }, 120_000);
});
