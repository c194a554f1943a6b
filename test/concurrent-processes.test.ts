/**
 * Issue 9, item 8: the users CLI while the server runs (as the README promises) must not make
 * either of them fail with `database is locked`. The built server runs as its own process; the
 * CLI runs as separate processes, one after another, creating and disabling users, while HTTP
 * clients sign in, invite people and load pages (every request touches its session row). SQLite
 * lets one writer at a time: a transaction that reads and then writes must take the write lock at
 * BEGIN (IMMEDIATE), or a write by the other process in between fails it at once instead of
 * waiting out busy_timeout.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/demo-data.js';
import { demoLogins, runUsersCli, stopServer } from './support/processes.js';
import { httpRequest, rawSignIn, type RawSession } from '../tools/raw-http.js';
import { buildServer, spawnServer, type SpawnedServer } from '../tools/spawned-server.js';

const CLI_ROUNDS = 15;
const HTTP_WORKERS = 4;

describe('when the users CLI runs while the server serves writes on the same data folder', () => {
  let dataDir: string;
  let server: SpawnedServer;
  const env = () => ({ DATA_DIR: dataDir, NODE_ENV: 'development', LOG_LEVEL: 'info', LOGIN_MAX_ATTEMPTS_PER_IP: '100000' });

  beforeAll(async () => {
    buildServer();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csd-relay-concurrent-'));
    server = await spawnServer(env());
  }, 60_000);
  afterAll(async () => {
    if (server) await stopServer(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('then no CLI command and no HTTP request fails', async () => {
    const { support } = await demoLogins(server);
    const failures: string[] = [];
    let httpRequests = 0;
    let cliRuns = 0;
    const cliMs: number[] = [];
    let done = false;

    const form = (session: RawSession, fields: Record<string, string>) => {
      const body = new URLSearchParams({ _csrf: session.csrf, ...fields }).toString();
      return { method: 'POST', headers: { Cookie: session.cookie, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) }, body };
    };
    const check = (what: string, status: number, expected: number, body: string) => {
      httpRequests += 1;
      if (status !== expected) failures.push(`${what}: ${status} ${body.replace(/\s+/g, ' ').slice(0, 160)}`);
    };

    const worker = async (n: number) => {
      let session = await rawSignIn(server.url, support.email, support.password);
      for (let i = 0; !done; i++) {
        if (i % 3 === 2) {
          // A fresh login: regenerates the session and records the login in one transaction.
          try {
            session = await rawSignIn(server.url, support.email, support.password);
            httpRequests += 3;
          } catch (error) {
            failures.push(`sign-in: ${(error as Error).message}`);
          }
        }
        const invite = await httpRequest(`${server.url}/people/invite`, form(session, { email: `web${n}-${i}@example.test`, name: `Web ${n} ${i}`, organizationId: DEMO_ORGANIZATION_IDS.validForYears }));
        check('invite', invite.status, 200, invite.body);
        const people = await httpRequest(`${server.url}/people`, { headers: { Cookie: session.cookie } });
        check('people', people.status, 200, people.body);
      }
    };

    const cli = async () => {
      try {
        for (let i = 0; i < CLI_ROUNDS; i++) {
          for (const args of [
            ['create', '--email', `cli${i}@example.test`, '--name', `Cli ${i}`, '--role', 'support'],
            ['disable', '--email', `cli${i}@example.test`],
          ]) {
            const started = performance.now();
            const run = await runUsersCli(args, env());
            cliMs.push(performance.now() - started);
            cliRuns += 1;
            if (run.code !== 0) failures.push(`cli ${args[0]} ${i}: exit ${run.code} ${run.stderr.trim().slice(0, 160)}`);
          }
        }
      } finally {
        done = true;
      }
    };

    await Promise.all([cli(), ...Array.from({ length: HTTP_WORKERS }, (_, n) => worker(n))]);
    const cliFailures = failures.filter((f) => f.startsWith('cli')).length;
    const locked = failures.filter((f) => /database is locked|500/.test(f)).length;
    cliMs.sort((a, b) => a - b);
    console.log(`concurrent processes: ${cliFailures}/${cliRuns} CLI runs and ${failures.length - cliFailures}/${httpRequests} HTTP requests failed (${locked} of them "database is locked" or 500); CLI run median ${Math.round(cliMs[cliMs.length >> 1]!)} ms, max ${Math.round(cliMs[cliMs.length - 1]!)} ms`, failures.slice(0, 5));
    expect(cliRuns).toBe(2 * CLI_ROUNDS);
    expect(httpRequests).toBeGreaterThan(2 * CLI_ROUNDS);
    expect(failures).toEqual([]);
  }, 180_000);
});
