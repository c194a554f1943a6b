/**
 * Issue 9, item 11: the data folder holds password hashes, sessions and the audit trail, so no
 * other local user may read it. The built server, started as its own process on a fresh
 * DATA_DIR, creates the folder 0700 and every file in it (database, -wal, -shm, session-secret)
 * 0600; on a folder an older version left readable it tightens the files and warns about the
 * folder (which may be the operator's own, so its mode is theirs to change).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoLogins, OFFLINE_LIVE_ENV, setupLink, stopServer } from './support/processes.js';
import { rawSignIn } from '../tools/raw-http.js';
import { buildServer, spawnServer, type SpawnedServer } from '../tools/spawned-server.js';

/** `relative path -> mode & 0o777` (octal text) for the folder and everything in it. */
function modes(dir: string): Record<string, string> {
  const out: Record<string, string> = { '.': (fs.statSync(dir).mode & 0o777).toString(8) };
  for (const entry of fs.readdirSync(dir, { recursive: true }) as string[]) {
    out[entry] = (fs.statSync(path.join(dir, entry)).mode & 0o777).toString(8);
  }
  return out;
}

const onlyOwner = (all: Record<string, string>) => Object.entries(all).filter(([name, mode]) => mode !== (fs.statSync(name === '.' ? root : path.join(root, name)).isDirectory() ? '700' : '600'));
let root = '';

describe('the data folder', () => {
  let tmp: string;
  let server: SpawnedServer | undefined;
  beforeAll(() => buildServer(), 60_000);
  afterEach(async () => {
    if (server) await stopServer(server);
    server = undefined;
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  const env = () => ({ DATA_DIR: root, NODE_ENV: 'development', LOG_LEVEL: 'info' });

  it.each(['demo', 'live'] as const)('when the server creates it (%s mode), then the folder is 0700 and every file in it 0600, while running and after', async (mode) => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'csd-relay-modes-'));
    root = path.join(tmp, 'nested', 'data');
    if (mode === 'demo') {
      server = await spawnServer(env());
      const { support } = await demoLogins(server);
      // A sign-in writes, so the write-ahead log and its index exist now.
      await rawSignIn(server.url, support.email, support.password);
    } else {
      server = await spawnServer({ ...env(), ...OFFLINE_LIVE_ENV });
      // Printing the setup link wrote it to the database.
      await setupLink(server);
    }
    const running = modes(root);
    console.log(`fresh DATA_DIR, ${mode} mode, while running (umask ${process.umask().toString(8)}): ${JSON.stringify(running)}`);
    expect(Object.keys(running).some((name) => name.endsWith('-wal'))).toBe(true);
    expect(Object.keys(running)).toContain('session-secret');
    expect(onlyOwner(running)).toEqual([]);
    await stopServer(server);
    expect(onlyOwner(modes(root))).toEqual([]);
  }, 60_000);

  it('when an older version left it readable by others, then the next start makes the files 0600 and warns about the folder', async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'csd-relay-modes-'));
    root = path.join(tmp, 'data');
    server = await spawnServer(env());
    const { support } = await demoLogins(server);
    await rawSignIn(server.url, support.email, support.password);
    // Killed, so the -wal and -shm files stay behind, as after a crash.
    server.child.kill('SIGKILL');
    await server.exited;
    fs.chmodSync(root, 0o755);
    for (const name of fs.readdirSync(root)) fs.chmodSync(path.join(root, name), 0o644);
    const before = modes(root);

    server = await spawnServer(env());
    const warning = await Promise.race([
      server.waitForLog(/data folder/),
      new Promise<string>((resolve) => setTimeout(() => resolve('{"msg":"no warning within 10 s"}'), 10_000).unref()),
    ]);
    const after = modes(root);
    console.log(`older DATA_DIR before: ${JSON.stringify(before)}; after the start: ${JSON.stringify(after)}; warning: ${warning}`);
    expect(JSON.parse(warning)).toMatchObject({ level: 'warn', mode: '755' });
    expect(server.lines.filter((line) => line.includes('now 0600'))).toHaveLength(Object.keys(before).length - 1);
    expect(onlyOwner(after)).toEqual([['.', '755']]);
  }, 60_000);
});
