/**
 * Running the built app's other entry points as real processes, next to spawned-server.ts: the
 * users CLI (`node dist/src/accounts/cli.js`, what `npm run users` runs, without tsx's start-up
 * cost), a server start that is expected to refuse, and the demo logins a demo start prints.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT, type SpawnedServer } from '../../tools/spawned-server.js';

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node <script> ...args` from the repository with `env` on top of PATH/HOME only. */
export function runNode(script: string, args: string[], env: Record<string, string>, options: { timeoutMs?: number; nodeArgs?: string[] } = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script, ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} ${args.join(' ')} did not finish in ${options.timeoutMs ?? 30_000} ms: ${stderr.slice(0, 500)}`));
    }, options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** `npm run users -- ...args` as the built CLI. */
export function runUsersCli(args: string[], env: Record<string, string>): Promise<ProcessResult> {
  return runNode(path.join(REPO_ROOT, 'dist/src/accounts/cli.js'), args, env);
}

/** Starts `node dist/src/server.js` and waits for it to exit by itself (a start that must refuse). */
export function runServerToExit(env: Record<string, string>): Promise<ProcessResult> {
  return runNode(path.join(REPO_ROOT, 'dist/src/server.js'), [], { PORT: '0', ...env }, { timeoutMs: 20_000 });
}

/**
 * Live mode without Facturapi: a well-formed but fake user key and a loopback port nothing
 * listens on. Starting, signing in and the people pages never call Facturapi.
 */
export const OFFLINE_LIVE_ENV = { FACTURAPI_USER_KEY: 'sk_user_offline_key_not_real_0123', FACTURAPI_BASE_URL: 'http://127.0.0.1:9/v2' } as const;

/** The demo logins a demo-mode start prints on stderr. */
export async function demoLogins(server: SpawnedServer): Promise<{ support: { email: string; password: string }; admin: { email: string; password: string } }> {
  const support = await server.waitForStderr(/Support staff:\s+(\S+)\s+password: (\S+)/);
  const admin = await server.waitForStderr(/Account admin:\s+(\S+)\s+password: (\S+)/);
  return { support: { email: support[1]!, password: support[2]! }, admin: { email: admin[1]!, password: admin[2]! } };
}

/** The first-run setup link a start prints on stderr when no account exists. */
export async function setupLink(server: SpawnedServer): Promise<string> {
  return (await server.waitForStderr(/(http\S+\/account\/set-password\/[A-Za-z0-9_-]+)/))[1]!;
}

/** SIGTERM, then the exit (graceful shutdown). */
export async function stopServer(server: SpawnedServer): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill('SIGTERM');
  await server.exited;
}
