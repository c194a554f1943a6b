/**
 * What the benchmark (scripts/bench.ts) and the probe (probe.ts) send: one CSD and the
 * organizations it goes to, the upload through the app, the same body straight to the stub (the
 * floor), the emulator's rotating certificates, and the certificate check's own cost.
 */
import http from 'node:http';
import https from 'node:https';
import { inspectCsd } from '../../src/certificates/index.js';
import { generatedOrganizations } from '../../emulator/index.js';
import { certificateNumber, generateSatPair } from '../../fixtures/index.js';
import { multipartBody, uploadBody } from '../../tools/raw-http.js';
import { median, round, type Target } from './measure.js';
import { PROXY, USER_KEY, type BenchApp } from './processes.js';

const DAY_MS = 86_400_000;

/** Certificates of one key and validity for the emulator run (each its own number). */
const EMULATOR_PAIRS = 8;

/**
 * One CSD for every upload to the stub, and the organizations it goes to (without a certificate in
 * the emulator). The emulator keeps what was installed, and the app does not send the installed
 * certificate again (issue 10), so its run rotates through a few certificates of the same RFC.
 */
export function workload(now: Date, options: { emulatorPairs?: number } = {}) {
  const validity = { validFrom: new Date(now.getTime() - DAY_MS), validTo: new Date(now.getTime() + 4 * 365 * DAY_MS) };
  const pair = generateSatPair(validity);
  const emulatorPairs = Array.from({ length: options.emulatorPairs ?? EMULATOR_PAIRS }, (_, n) => generateSatPair({ ...validity, certificateNumber: certificateNumber(700 + n) }));
  const organizations = generatedOrganizations(3000, now).filter((o) => o.legal.tax_id === null).map((o) => o.id);
  return { pair, emulatorPairs, organizations };
}

/** Uploads to the emulator: upload n goes to organization n mod count with certificate n div count, never one already installed there. */
export function emulatorTarget(app: BenchApp, w: Workload): Target {
  const bodies = w.emulatorPairs.map((pair) => uploadBody(app.session, pair));
  const length = bodies[0]!.body.length;
  if (bodies.some((b) => b.body.length !== length || b.contentType !== bodies[0]!.contentType)) throw new Error('emulator bodies differ in length or boundary');
  let sent = 0;
  const capacity = w.organizations.length * bodies.length;
  let current = 0;
  return {
    method: 'POST',
    url: () => {
      if (sent >= capacity) throw new Error(`the emulator run needs more than ${capacity} distinct uploads`);
      current = sent++;
      return `${app.url}/organizations/${w.organizations[current % w.organizations.length]}/certificate`;
    },
    headers: { ...PROXY, Cookie: app.session.cookie, 'Content-Type': bodies[0]!.contentType, 'Content-Length': length },
    // Called right after url() for the same request (measure.ts): the certificate of that upload.
    body: () => bodies[Math.floor(current / w.organizations.length)]!.body,
    expect: 303,
    agent: (concurrency) => new http.Agent({ keepAlive: true, maxSockets: concurrency }),
  };
}

export function relayTarget(app: BenchApp, w: Workload): Target {
  const { body, contentType } = uploadBody(app.session, w.pair);
  return {
    method: 'POST',
    url: (i) => `${app.url}/organizations/${w.organizations[i % w.organizations.length]}/certificate`,
    headers: { ...PROXY, Cookie: app.session.cookie, 'Content-Type': contentType, 'Content-Length': body.length },
    body,
    expect: 303,
    agent: (concurrency) => new http.Agent({ keepAlive: true, maxSockets: concurrency }),
  };
}

/** The same three parts the app relays, sent by this process straight to the stub. */
export function directTarget(origin: string, caPem: string, w: Workload): Target {
  const boundary = 'benchDirectBoundary0123456789';
  const body = multipartBody(boundary, [
    { name: 'cer', data: w.pair.cer, filename: 'certificate.cer', contentType: 'application/octet-stream' },
    { name: 'key', data: w.pair.key, filename: 'private.key', contentType: 'application/octet-stream' },
    { name: 'password', data: w.pair.password },
  ]);
  const tls = origin.startsWith('https:');
  return {
    method: 'PUT',
    url: (i) => `${origin}/v2/organizations/${w.organizations[i % w.organizations.length]}/certificate`,
    headers: { Authorization: `Bearer ${USER_KEY}`, 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': body.length },
    body,
    expect: 200,
    agent: (concurrency) => (tls ? new https.Agent({ keepAlive: true, maxSockets: concurrency, ca: caPem }) : new http.Agent({ keepAlive: true, maxSockets: concurrency })),
  };
}

export type Workload = ReturnType<typeof workload>;

/**
 * The certificate check's own cost, in this process (the app runs the same code in a worker):
 * the median wall time (the latency it adds) and the median CPU time, which a busy machine does
 * not inflate by preempting it, to compare with the app's CPU per upload.
 */
export function checkCost(pair: { cer: Buffer; key: Buffer; password: string }, times: number): { wallMs: number; cpuMs: number } {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    inspectCsd({ cer: pair.cer, key: pair.key, password: pair.password, now: new Date() });
    const used = process.cpuUsage(cpu0);
    wall.push(performance.now() - t0);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wallMs: round(median(wall), 2), cpuMs: round(median(cpu), 2) };
}
