/**
 * Graceful shutdown of the built server (issue 6, part 5): on SIGTERM an in-flight upload, held
 * by emulator latency, still completes; new connections are refused; the process exits 0 within
 * a bound. The server runs in emulator mode as its own process; the emulator's control endpoint
 * adds the latency. Issue 9, item 3: clients that hold a form (or their headers) open do not hold
 * the shutdown past the body deadline.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/index.js';
import { httpRequest, rawSignIn, uploadBody } from '../tools/raw-http.js';
import { generateSatPair } from '../fixtures/index.js';
import { buildServer, seedSupportUser, spawnServer, type SpawnedServer } from '../tools/spawned-server.js';
import { setTimeout as delay } from 'node:timers/promises';

const EMAIL = 'apagado@example.test';
const PASSWORD = 'shutdown-pass-phrase-42';
const LATENCY_MS = 1_500;
/** Latency + the app's own work + closing the database and the emulator. */
const EXIT_BOUND_MS = LATENCY_MS + 4_000;

const connectionRefused = (url: string) =>
  new Promise<string>((resolve) => {
    const { port } = new URL(url);
    const socket = net.connect(Number(port), '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });

// One build for the whole file (the describes run one after the other).
beforeAll(() => buildServer(), 60_000);

describe('when the server gets SIGTERM during an upload', () => {
  let dataDir: string;
  let server: SpawnedServer;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csd-relay-shutdown-'));
    await seedSupportUser(dataDir, EMAIL, PASSWORD);
    server = await spawnServer({ DATA_DIR: dataDir, DEMO_ACCOUNTS: 'false', LOG_LEVEL: 'info', NODE_ENV: 'development' });
  }, 60_000);
  afterAll(() => {
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('then the in-flight upload completes, new connections are refused and the process exits 0 in time', async () => {
    const session = await rawSignIn(server.url, EMAIL, PASSWORD);
    const control = `${server.emulatorUrl!.replace(/\/v2$/, '')}/_emulator/faults`;
    const fault = await httpRequest(control, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ fault: { kind: 'latency', ms: LATENCY_MS }, times: 1, match: { method: 'PUT' } }),
    });
    expect(fault.status).toBe(200);

    // Real clock in the spawned server: a pair valid now.
    const pair = generateSatPair({ validFrom: new Date(Date.now() - 86_400_000), validTo: new Date(Date.now() + 4 * 365 * 86_400_000) });
    const { body, contentType } = uploadBody(session, pair);
    const upload = httpRequest(`${server.url}/organizations/${DEMO_ORGANIZATION_IDS.noCertificate}/certificate`, {
      method: 'POST',
      headers: { Cookie: session.cookie, 'Content-Type': contentType, 'Content-Length': body.length },
      body,
    });
    // The PUT is being held once the emulator has used up the one-shot fault.
    for (;;) {
      const state = JSON.parse((await httpRequest(control, {})).body) as { fault: unknown };
      if (state.fault === null) break;
    }

    const signalledAt = performance.now();
    server.child.kill('SIGTERM');
    await server.waitForLog(/shutting down/);
    expect(await connectionRefused(server.url)).toBe('ECONNREFUSED');

    const res = await upload;
    expect(res.status).toBe(303);
    expect(res.headers.location).toContain(`uploaded=${pair.certificateNumber}`);

    const exit = await server.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(performance.now() - signalledAt).toBeLessThan(EXIT_BOUND_MS);
    expect(server.lines.some((line) => line.includes('"msg":"stopped"'))).toBe(true);
  }, 30_000);
});

/** A slow client's fate: the status it was answered with (0: none) and when its socket closed. */
interface SlowClient {
  written: Promise<void>;
  closed: Promise<{ status: number; atMs: number }>;
}

/**
 * Opens a raw connection, writes `start`, then `drip` one byte every 100 ms (if given) until the
 * server closes it. `written` resolves once `start` is on the wire.
 */
function slowClient(url: string, start: string, drip?: string): SlowClient {
  const { port } = new URL(url);
  const socket = net.connect(Number(port), '127.0.0.1');
  const received: Buffer[] = [];
  let open = true;
  const written = new Promise<void>((resolve) => socket.on('connect', () => socket.write(start, () => resolve())));
  const closed = new Promise<{ status: number; atMs: number }>((resolve) => {
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      open = false;
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(Buffer.concat(received).toString('latin1'))?.[1] ?? 0), atMs: performance.now() });
    });
  });
  void written.then(async () => {
    for (let at = 0; drip && open; at = (at + 1) % drip.length) {
      socket.write(drip[at]!);
      await delay(100);
    }
  });
  return { written, closed };
}

describe('when the server gets SIGTERM while slow clients hold forms open', () => {
  /** FORM_BODY_TIMEOUT_MS of the spawned server. */
  const BOUND_MS = 1_500;
  /** Bound + answering and closing 45 sockets + closing the database and emulator, on a busy machine; well under the 10 s grace. */
  const EXIT_BOUND_MS = BOUND_MS + 4_000;
  let dataDir: string;
  let server: SpawnedServer;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csd-relay-shutdown-slow-'));
    await seedSupportUser(dataDir, EMAIL, PASSWORD);
    server = await spawnServer({ DATA_DIR: dataDir, DEMO_ACCOUNTS: 'false', LOG_LEVEL: 'info', NODE_ENV: 'development', FORM_BODY_TIMEOUT_MS: String(BOUND_MS), LOGIN_MAX_ATTEMPTS_PER_IP: '1000' });
  }, 60_000);
  afterAll(() => {
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('then form clients get their 408 at the body deadline, header drippers are closed, and the process exits 0 soon after, not at the end of the grace period', async () => {
    const form = 'POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 200\r\n\r\n';
    const clients = [
      ...Array.from({ length: 20 }, () => slowClient(server.url, form)),
      ...Array.from({ length: 20 }, () => slowClient(server.url, form, 'email=x%40example.test&password=')),
      ...Array.from({ length: 5 }, () => slowClient(server.url, 'GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'X-Slow: aaaa\r\n')),
    ];
    await Promise.all(clients.map((c) => c.written));
    // A full round trip on a later connection: the server has read what came before it.
    expect((await httpRequest(`${server.url}/healthz`, {})).status).toBe(200);

    const signalledAt = performance.now();
    server.child.kill('SIGTERM');
    const exit = await server.exited;
    const exitedAfterMs = performance.now() - signalledAt;
    const outcomes = await Promise.all(clients.map((c) => c.closed));

    expect(exit).toEqual({ code: 0, signal: null });
    expect(exitedAfterMs).toBeLessThan(EXIT_BOUND_MS);
    expect(server.lines.some((line) => line.includes('did not finish in time'))).toBe(false);
    // The form clients were the app's to answer (not idle sockets dropped at close): each was
    // told why. The header drippers had no request yet: they are simply closed, at once.
    expect(outcomes.slice(0, 40).map((o) => o.status)).toEqual(Array.from({ length: 40 }, () => 408));
    expect(Math.max(...outcomes.slice(40).map((o) => o.atMs - signalledAt))).toBeLessThan(1_000);
  }, 30_000);
});
