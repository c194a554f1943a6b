/**
 * Runs the built server (`node dist/src/server.js`) as its own process for shutdown tests and the
 * benchmark: builds once if asked, seeds a support user in its data folder, starts it and reads
 * its URL (and, in emulator mode, the emulator's) from the JSON log lines it prints.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setPassword } from '../src/accounts/set-password.service.js';
import { createUser } from '../src/accounts/users.service.js';
import { createAuditTrail } from '../src/audit/audit.service.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrator.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** `tsc -p tsconfig.build.json` into dist/. */
export function buildServer(): void {
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT, stdio: 'pipe' });
}

/**
 * Creates a support user with a password directly in the data folder's database: demo mode's
 * own file (a server started without FACTURAPI_USER_KEY) unless `live`.
 */
export async function seedSupportUser(dataDir: string, email: string, password: string, options: { live?: boolean } = {}): Promise<void> {
  const database = openDatabase({ dataDir, demo: !options.live });
  try {
    await migrateToLatest(database.db);
    const ctx = { now: () => new Date(), actor: null, userAgent: 'test' };
    const audit = createAuditTrail(database.db, { now: ctx.now });
    const user = await createUser(database.db, audit, { email, name: 'Soporte', role: 'support' }, ctx);
    await setPassword(database.db, audit, user.id, password, ctx);
  } finally {
    await database.close();
  }
}

export interface SpawnedServer {
  child: ChildProcess;
  url: string;
  /** In emulator mode, the in-process emulator's base URL (…/v2). */
  emulatorUrl: string | null;
  /** Every stdout line so far. */
  lines: string[];
  /** Everything written to stderr so far (first-run banners: demo logins, the setup link). */
  stderr(): string;
  /** Resolves with stderr's first match of `pattern` (stderr and stdout arrive in no fixed order). */
  waitForStderr(pattern: RegExp): Promise<RegExpExecArray>;
  /** Resolves with the first log line whose `msg` matches. */
  waitForLog(pattern: RegExp): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node dist/src/server.js` with `env` (on top of PATH/HOME only) and waits until it listens. */
export async function spawnServer(env: Record<string, string>, options: { timeoutMs?: number; nodeArgs?: string[] } = {}): Promise<SpawnedServer> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), path.join(REPO_ROOT, 'dist/src/server.js')], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.pattern.test(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  });
  let stderr = '';
  const stderrWaiters = new Set<() => void>();
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    for (const check of [...stderrWaiters]) check();
  });
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  const waitForLog = (pattern: RegExp) => {
    const seen = lines.find((line) => pattern.test(line));
    if (seen) return Promise.resolve(seen);
    return new Promise<string>((resolve) => waiters.push({ pattern, resolve }));
  };
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`server did not start: ${stderr.slice(0, 500)}`)), options.timeoutMs ?? 20_000).unref());
  const startFailed = exited.then(({ code }) => Promise.reject(new Error(`server exited with ${code}: ${stderr.slice(0, 500)}`)));
  // Below info level the "listening" line is not printed: then PORT must be given, and /healthz tells.
  const quiet = env.LOG_LEVEL !== undefined && !['info', 'debug', 'trace'].includes(env.LOG_LEVEL);
  const started = quiet ? waitForHealth(`http://127.0.0.1:${env.PORT}`) : waitForLog(/csd-relay listening on/).then((line) => (JSON.parse(line) as { url: string }).url);
  const url = await Promise.race([started, timeout, startFailed]);
  const emulatorLine = lines.find((line) => line.includes('emulatorUrl'));
  const emulatorUrl = emulatorLine ? (JSON.parse(emulatorLine) as { emulatorUrl: string }).emulatorUrl : null;
  const waitForStderr = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(stderr);
        if (match) {
          stderrWaiters.delete(check);
          resolve(match);
        }
      };
      stderrWaiters.add(check);
      check();
      void exited.then(() => {
        if (stderrWaiters.delete(check)) reject(new Error(`exited before stderr matched ${pattern}: ${stderr.slice(0, 500)}`));
      });
    });
  return { child, url, emulatorUrl, lines, stderr: () => stderr, waitForStderr, waitForLog, exited };
}

/** Resolves with `url` once `GET /healthz` answers 200 (retrying while the port refuses). */
async function waitForHealth(url: string): Promise<string> {
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      http.get(`${url}/healthz`, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      }).on('error', () => resolve(false));
    });
    if (ok) return url;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
