/**
 * Issue 10, point 10: the console a newcomer sees. A normal demo start logs nothing above info;
 * piped or shipped stdout gets JSON lines; a terminal gets readable lines (pino-pretty), still
 * with secrets redacted. Real processes: the built server, piped, and under `script` for a TTY.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, REPO_ROOT, spawnServer, type SpawnedServer } from '../tools/spawned-server.js';
import { stopServer } from './support/processes.js';

const SCRIPT = '/usr/bin/script';
const LEVELS_ABOVE_INFO = ['warn', 'error', 'fatal'];
const SECRET_COOKIE = 'csd_relay_sid=s%3Anot-a-real-session-but-secret-0123456789';
const SECRET_BEARER = 'Bearer sk_user_console_secret_0123456789';

let tmp: string;
let server: SpawnedServer | undefined;
beforeAll(() => buildServer(), 120_000);
afterEach(async () => {
  if (server) await stopServer(server);
  server = undefined;
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});
const demoEnv = () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'csd-relay-console-'));
  return { DATA_DIR: tmp, NODE_ENV: 'development', LOG_LEVEL: 'info' };
};

describe('when the demo starts with stdout piped (a log shipper, a container)', () => {
  it('then every line is JSON and nothing is above info, the emulator notice included', async () => {
    server = await spawnServer(demoEnv());
    await fetch(`${server.url}/login`, { headers: { Cookie: SECRET_COOKIE, Authorization: SECRET_BEARER } });
    await server.waitForLog(/request completed/);
    const records = server.lines.filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as { level: string; msg: string });
    const notice = records.find((r) => r.msg.includes('built-in Facturapi emulator'));
    expect(notice?.level).toBe('info');
    expect(records.filter((r) => LEVELS_ABOVE_INFO.includes(r.level)).map((r) => r.msg)).toEqual([]);
    expect(server.lines.join('\n')).not.toContain('secret_0123456789');
  });
});

describe('when the demo starts in a terminal', () => {
  it('then the lines are readable, not JSON, and secrets stay redacted', async () => {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', TERM: 'dumb', ...demoEnv() };
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(REPO_ROOT, 'dist/src/server.js'))}`;
    // `script` gives the server a pseudo-terminal as stdout, as a person's shell would.
    const child = spawn(SCRIPT, ['-qfec', command, '/dev/null'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const waitFor = (pattern: RegExp) =>
      new Promise<RegExpExecArray>((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output.replace(/\x1b\[[0-9;]*m/g, ''));
          if (match) {
            child.stdout.off('data', check);
            resolve(match);
          }
        };
        child.stdout.on('data', (c: Buffer) => {
          output += c.toString('utf8');
          check();
        });
        child.once('exit', () => reject(new Error(`exited before ${pattern}: ${output.slice(0, 800)}`)));
      });
    try {
      const url = (await waitFor(/csd-relay listening on[\s\S]*?url: "(http[^"]+)"/))[1]!;
      await fetch(`${url}/login`, { headers: { Cookie: SECRET_COOKIE, Authorization: SECRET_BEARER } });
      await waitFor(/request completed/);
      const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
      const lines = plain.split(/\r?\n/).filter((l) => l.trim() !== '');
      expect(lines.some((l) => l.trim().startsWith('{"'))).toBe(false);
      expect(plain).toMatch(/\] INFO: No FACTURAPI_USER_KEY: running against the built-in Facturapi emulator/);
      expect(plain).not.toMatch(/\] (WARN|ERROR|FATAL):/);
      expect(plain).not.toContain('secret_0123456789');
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null && child.signalCode === null) await new Promise((resolve) => child.once('exit', resolve));
    }
  });
});
