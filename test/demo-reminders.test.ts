/**
 * Issue 12: after `npm start` in demo mode (no FACTURAPI_USER_KEY, no SMTP_URL), the expiring demo
 * organization's reminder is in the outbox. Started as server.ts starts: the runtime in emulator
 * mode (its own emulator and demo data), the demo accounts seeded and printed, the reminder job's
 * first run, then support reads the outbox page over HTTP with the printed password.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { announceFirstRun } from '../src/first-run.js';
import { createLogger } from '../src/logger.js';
import { startReminderJob } from '../src/reminders/reminder-job.js';
import { startRuntime, type Runtime } from '../src/runtime.js';
import { createHttpServer } from '../src/web/http-server.js';
import { DEMO_ORGANIZATION_IDS, signInAgent, TEST_SESSION_SECRET } from './support/app-harness.js';
import { LogCapture } from './support/log-capture.js';
import { createTestClock } from './support/test-clock.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('when the app starts in demo mode', () => {
  it('then the reminder for the demo organization expiring within ten days is in the outbox, for its demo account admin, in Spanish', async () => {
    const clock = createTestClock('2026-03-01T18:00:00Z');
    const logs = new LogCapture();
    const logger = createLogger({ level: 'debug', destination: logs.stream });
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: '/nonexistent-test-data-dir', SESSION_SECRET: TEST_SESSION_SECRET, PUBLIC_URL: 'http://127.0.0.1:3000' });
    expect(config.facturapi.mode).toBe('emulator');
    const runtime: Runtime = await startRuntime(config, logger, clock.now, { database: openDatabase({ memory: true }), inspectionPool: false });
    cleanups.push(() => runtime.close());
    let banner = '';
    await announceFirstRun(config, runtime.deps, clock.now, (s) => ((banner += s), true));
    const job = startReminderJob(config, { ...runtime.deps, mailer: runtime.deps.mailer! }, logger, clock.now);
    cleanups.push(() => job.stop());
    await job.firstRun;

    const server = createHttpServer(createApp(runtime.deps), config).listen(0, '127.0.0.1');
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const [, email, password] = /Support staff:\s+(\S+)\s+password: (\S+)/.exec(banner)!;
    const support = await signInAgent(url, email!, password!);
    const outbox = await support.agent.get('/outbox');
    expect(outbox.status).toBe(200);
    const subject = /<h2>([^<]*Escuela Kemper Urgate[^<]*)<\/h2>/.exec(outbox.text)?.[1];
    console.log(`outbox after a demo start: "${subject}"`);
    expect(subject).toBe('El CSD de Escuela Kemper Urgate vence en 10 días');
    expect(outbox.text).toContain('admin@csd-relay.test');
    expect(outbox.text).toContain(`http://127.0.0.1:3000/organizations/${DEMO_ORGANIZATION_IDS.expiresSoon}`);
    expect(outbox.text).toContain('/reminders/unsubscribe/[enlace privado');
  });
});
