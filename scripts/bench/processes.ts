/**
 * The processes a benchmark run starts, each on its own: the upstream stub (plain and TLS
 * ports), the Facturapi emulator (radar and correctness runs), and the app in production mode,
 * signed in as a support user through its own forms.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runUsersCommand } from '../../src/accounts/cli-commands.js';
import { createAuditTrail } from '../../src/audit/audit.service.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrator.js';
import { httpRequest, rawSignIn, type RawSession } from '../../tools/raw-http.js';
import { REPO_ROOT, spawnServer, type SpawnedServer } from '../../tools/spawned-server.js';

export const USER_KEY = 'sk_user_bench_key_not_real_0123';
/** The app is reached as if behind a TLS proxy: production cookies are `Secure`. */
export const PROXY = { 'X-Forwarded-Proto': 'https' };

/** Starts `node --import tsx <script> args…` and resolves with the first stdout line matching `ready`. */
async function startTsProcess(script: string, args: string[], ready: RegExp): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = seen.split('\n').find((l) => ready.test(l));
      if (match) resolve(match);
    });
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  child.stdout!.resume();
  return { child, line };
}

export interface RunningStub {
  child: ChildProcess;
  origin: string;
  tlsOrigin: string;
  setLatency(ms: number): Promise<void>;
  uploads(): Promise<number>;
}

/** The upstream stub (tools/upstream-stub.ts) on a plain and a TLS port. */
export async function startStub(options: { certFile: string; keyFile: string; certificate: { rfc: string; serialNumber: string; expiresAt: string } }): Promise<RunningStub> {
  const { child, line } = await startTsProcess(
    'tools/upstream-stub.ts',
    ['--key', USER_KEY, '--tls-port', '0', '--tls-cert', options.certFile, '--tls-key', options.keyFile, '--rfc', options.certificate.rfc, '--serial', options.certificate.serialNumber, '--expires', options.certificate.expiresAt],
    /upstream stub listening/,
  );
  const { port, tlsPort } = JSON.parse(line) as { port: number; tlsPort: number };
  const origin = `http://127.0.0.1:${port}`;
  return {
    child,
    origin,
    tlsOrigin: `https://127.0.0.1:${tlsPort}`,
    async setLatency(ms) {
      const res = await httpRequest(`${origin}/_stub/latency?ms=${ms}`, { method: 'POST' });
      if (res.status !== 200) throw new Error(`could not set stub latency: ${res.status}`);
    },
    async uploads() {
      return (JSON.parse((await httpRequest(`${origin}/_stub/stats`, {})).body) as { uploads: number }).uploads;
    },
  };
}

export interface RunningEmulator {
  child: ChildProcess;
  origin: string;
  setLatency(ms: number): Promise<void>;
}

/** The Facturapi emulator with 3,000 generated organizations. */
export async function startEmulator(port: number): Promise<RunningEmulator> {
  const { child } = await startTsProcess('emulator/cli.ts', ['--port', String(port), '--key', USER_KEY, '--generated', '3000'], /listening/);
  const origin = `http://127.0.0.1:${port}`;
  return {
    child,
    origin,
    async setLatency(ms) {
      const body = JSON.stringify(ms > 0 ? { fault: { kind: 'latency', ms } } : { fault: null });
      const res = await httpRequest(`${origin}/_emulator/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      if (res.status !== 200) throw new Error(`could not set emulator latency: ${res.status}`);
    },
  };
}

export interface BenchApp {
  server: SpawnedServer;
  url: string;
  pid: number;
  session: RawSession;
  stop(): Promise<void>;
}

/**
 * Starts the built app (`node dist/src/server.js`, production mode) against `facturapiBaseUrl`
 * in a fresh data folder, creates a support user as the users CLI does, sets its password
 * through the one-time link over HTTP and signs in through the login form.
 */
/** The app's settings in every bench run: production mode, limits out of the way, one upstream. */
export function benchAppEnv(facturapiBaseUrl: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    FACTURAPI_USER_KEY: USER_KEY,
    FACTURAPI_BASE_URL: facturapiBaseUrl,
    SESSION_SECRET: 'bench-session-secret-0123456789-abcdefghijklmnopqrstuvwxyz',
    LOG_LEVEL: 'warn',
    METRICS_ENDPOINT: 'true',
    TRUST_PROXY_HOPS: '1',
    UPLOADS_PER_USER_PER_HOUR: '100000',
    UPLOADS_PER_SUPPORT_USER_PER_HOUR: '100000',
    UPLOAD_LOCAL_REFUSALS_PER_USER_PER_HOUR: '100000',
    LOGIN_MAX_ATTEMPTS_PER_IP: '100000',
    RADAR_CACHE_SECONDS: '0',
  };
}

export async function startApp(options: { port: number; facturapiBaseUrl: string; env?: Record<string, string>; nodeArgs?: string[] }): Promise<BenchApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csd-relay-bench-'));
  const server = await spawnServer(
    { ...benchAppEnv(options.facturapiBaseUrl), PORT: String(options.port), DATA_DIR: dataDir, ...options.env },
    { nodeArgs: options.nodeArgs },
  );
  const stop = async () => {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const email = 'bench@example.test';
    const password = 'bench-pass-phrase-2026';
    await createSupportUser(dataDir, server.url, email, password);
    const session = await rawSignIn(server.url, email, password, PROXY);
    return { server, url: server.url, pid: server.child.pid!, session, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Creates the support user as the users CLI does, then sets its password through the link over HTTP. */
async function createSupportUser(dataDir: string, appUrl: string, email: string, password: string): Promise<void> {
  const database = openDatabase({ dataDir });
  const out: string[] = [];
  try {
    await migrateToLatest(database.db);
    const code = await runUsersCommand(['create', '--email', email, '--name', 'Bench', '--role', 'support'], {
      db: database.db,
      audit: createAuditTrail(database.db, { now: () => new Date() }),
      now: () => new Date(),
      publicUrl: appUrl,
      operator: 'bench',
      out: (line) => out.push(line),
      err: (line) => out.push(line),
    });
    if (code !== 0) throw new Error(`users create failed: ${out.join('\n')}`);
  } finally {
    await database.close();
  }
  const link = /(http\S+\/account\/set-password\/\S+)/.exec(out.join('\n'))![1]!;
  const opened = await httpRequest(link, { headers: PROXY });
  const cookie = (opened.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
  const page = await httpRequest(`${appUrl}/account/set-password`, { headers: { ...PROXY, Cookie: cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const form = new URLSearchParams({ _csrf: csrf, name: 'Bench', email, password, confirm: password }).toString();
  // The form's CSRF token pairs with a cookie the form page sets (a signed double-submit token).
  const formCookie = [cookie, ...(page.headers['set-cookie'] ?? []).map((c) => c.split(';')[0])].filter(Boolean).join('; ');
  const done = await httpRequest(`${appUrl}/account/set-password`, {
    method: 'POST',
    headers: { ...PROXY, Cookie: formCookie, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(form) },
    body: form,
  });
  if (done.status !== 303) throw new Error(`setting the password failed with ${done.status}`);
}
