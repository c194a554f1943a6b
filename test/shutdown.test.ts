/**
 * Graceful shutdown of the built server (issue 6, part 5): on SIGTERM an in-flight upload, held
 * by emulator latency, still completes; new connections are refused; the process exits 0 within
 * a bound. The server runs in emulator mode as its own process; the emulator's control endpoint
 * adds the latency.
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

describe('when the server gets SIGTERM during an upload', () => {
  let dataDir: string;
  let server: SpawnedServer;

  beforeAll(async () => {
    buildServer();
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
