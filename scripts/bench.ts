/*
 * `npm run bench [-- --quick]`: how fast and how heavy the app is, on this machine.
 *
 * Builds, starts the Facturapi emulator (its own process, 3,000 generated organizations) and the
 * app in production mode (its own process, `node dist/src/server.js`), creates a support user with
 * the users CLI's functions and sets its password through the one-time link over HTTP, signs in,
 * then measures with warm-up and repeated runs:
 *   - uploads/s and p50/p90/p99 at concurrency 1, 16, 64, emulator answering at once and at 50 ms,
 *     and the same uploads sent directly to the emulator (the floor): the relay's added latency;
 *   - CPU ms per upload (/proc/<pid>/stat of the app), peak RSS (VmHWM), event-loop delay p99
 *     (the app's loopback-only GET /metrics);
 *   - the time to reject a 50 MB upload and the bytes sent before the 413;
 *   - the expiry radar over 3,000 organizations at 50 ms upstream latency;
 *   - the certificate check's own cost (inspectCsd median), against which targets are set.
 * Prints a table and writes bench-results/latest.json. `--quick`: fewer requests, one repetition.
 *
 * The app is reached as if behind a TLS proxy (TRUST_PROXY_HOPS=1, X-Forwarded-Proto: https),
 * because production cookies are `Secure`.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runUsersCommand } from '../src/accounts/cli-commands.js';
import { createAuditTrail } from '../src/audit/audit.service.js';
import { inspectCsd } from '../src/certificates/index.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrator.js';
import { generatedOrganizations } from '../emulator/index.js';
import { httpRequest, multipartBody, rawExchange, rawSignIn, uploadBody, type RawSession } from '../tools/raw-http.js';
import { generateSatPair } from '../fixtures/index.js';
import { buildServer, REPO_ROOT, spawnServer, type SpawnedServer } from '../tools/spawned-server.js';
import { benchDatabases, renderDatabaseTable } from './bench-databases.js';

const { values: flags } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const QUICK = flags.quick!;
const REPETITIONS = QUICK ? 1 : 3;
const CONCURRENCIES = [1, 16, 64] as const;
const LATENCIES = [0, 50] as const;
/** Uploads per measured run, by concurrency; warm-up is a fifth of that. */
const RUN_SIZE: Record<number, number> = QUICK ? { 1: 20, 16: 80, 64: 160 } : { 1: 100, 16: 500, 64: 1000 };
const USER_KEY = 'sk_user_bench_key_not_real_0123';
const PROXY = { 'X-Forwarded-Proto': 'https' };
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

// ---- helpers ---------------------------------------------------------------------------------

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** utime + stime of a process (all its threads), in ms. */
function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** Peak resident set size (VmHWM) of a process, in MB. */
function peakRssMb(pid: number): number {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'))!;
  return round(Number(line.replace(/\D+/g, '')) / 1024);
}

async function startEmulator(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'emulator/cli.ts', '--port', String(port), '--key', USER_KEY, '--generated', '3000'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('listening') && resolve());
    child.on('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  return child;
}

async function setLatency(emulatorOrigin: string, ms: number): Promise<void> {
  const body = JSON.stringify(ms > 0 ? { fault: { kind: 'latency', ms } } : { fault: null });
  const res = await httpRequest(`${emulatorOrigin}/_emulator/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  if (res.status !== 200) throw new Error(`could not set emulator latency: ${res.status}`);
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

interface Target {
  method: 'POST' | 'PUT';
  url: (i: number) => string;
  headers: Record<string, string | number>;
  body: Buffer;
  expect: number;
}

/** Sends `count` requests at `concurrency` over keep-alive; returns latencies (ms) and wall time. */
async function run(target: Target, count: number, concurrency: number): Promise<{ latencies: number[]; wallMs: number; errors: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        const t0 = performance.now();
        const res = await httpRequest(target.url(i), { method: target.method, headers: target.headers, body: target.body, agent }).catch(() => null);
        latencies.push(performance.now() - t0);
        if (res?.status !== target.expect) {
          errors++;
          if (errors === 1 && process.env.BENCH_DEBUG) process.stderr.write(`unexpected answer: ${res?.status} ${res?.body.slice(0, 300)}\n`);
        }
      }
    }),
  );
  const wallMs = performance.now() - started;
  agent.destroy();
  return { latencies: latencies.sort((a, b) => a - b), wallMs, errors };
}

// ---- main ------------------------------------------------------------------------------------

interface Row {
  path: 'relay' | 'direct';
  latencyMs: number;
  concurrency: number;
  uploadsPerSecond: number;
  p50: number;
  p90: number;
  p99: number;
  errors: number;
  cpuMsPerUpload?: number;
  eventLoopP99Ms?: number;
}

async function main(): Promise<void> {
  const wallStart = performance.now();
  process.stdout.write(`csd-relay bench${QUICK ? ' (quick)' : ''}: building…\n`);
  buildServer();

  const emulatorPort = await freePort();
  const emulator = await startEmulator(emulatorPort);
  const emulatorOrigin = `http://127.0.0.1:${emulatorPort}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csd-relay-bench-'));
  const appPort = await freePort();
  let app: SpawnedServer | null = null;
  const appEnv = {
      NODE_ENV: 'production',
      PORT: String(appPort),
      FACTURAPI_USER_KEY: USER_KEY,
      FACTURAPI_BASE_URL: `${emulatorOrigin}/v2`,
      SESSION_SECRET: 'bench-session-secret-0123456789-abcdefghijklmnopqrstuvwxyz',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      METRICS_ENDPOINT: 'true',
      TRUST_PROXY_HOPS: '1',
      UPLOADS_PER_USER_PER_HOUR: '100000',
      LOGIN_MAX_ATTEMPTS_PER_IP: '100000',
      RADAR_CACHE_SECONDS: '0',
  };
  try {
    app = await spawnServer({
      ...appEnv,
    // e.g. BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the app under load.
    }, { nodeArgs: process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) });
    const appUrl = app.url;
    const pid = app.child.pid!;
    const email = 'bench@example.test';
    const password = 'bench-pass-phrase-2026';
    await createSupportUser(dataDir, appUrl, email, password);
    const session: RawSession = await rawSignIn(appUrl, email, password, PROXY);

    // One CSD for every upload; targets are the organizations without a certificate, which
    // accept its RFC (and keep accepting it once they have it).
    const pair = generateSatPair({ validFrom: new Date(Date.now() - 86_400_000), validTo: new Date(Date.now() + 4 * 365 * 86_400_000) });
    const targets = generatedOrganizations(3000, new Date()).filter((o) => o.legal.tax_id === null).map((o) => o.id);
    const relayBody = uploadBody(session, pair);
    const relay: Target = {
      method: 'POST',
      url: (i) => `${appUrl}/organizations/${targets[i % targets.length]}/certificate`,
      headers: { ...PROXY, Cookie: session.cookie, 'Content-Type': relayBody.contentType, 'Content-Length': relayBody.body.length },
      body: relayBody.body,
      expect: 303,
    };
    const directBoundary = 'benchDirectBoundary0123456789';
    const directBody = multipartBody(directBoundary, [
      { name: 'cer', data: pair.cer, filename: 'certificate.cer', contentType: 'application/octet-stream' },
      { name: 'key', data: pair.key, filename: 'private.key', contentType: 'application/octet-stream' },
      { name: 'password', data: pair.password },
    ]);
    const direct: Target = {
      method: 'PUT',
      url: (i) => `${emulatorOrigin}/v2/organizations/${targets[i % targets.length]}/certificate`,
      headers: { Authorization: `Bearer ${USER_KEY}`, 'Content-Type': `multipart/form-data; boundary=${directBoundary}`, 'Content-Length': directBody.length },
      body: directBody,
      expect: 200,
    };

    // The certificate check's own cost, in this process (the app runs the same code in a worker).
    const inspectTimes: number[] = [];
    for (let i = 0; i < (QUICK ? 100 : 400); i++) {
      const t0 = performance.now();
      inspectCsd({ cer: pair.cer, key: pair.key, password: pair.password, now: new Date() });
      inspectTimes.push(performance.now() - t0);
    }
    const inspectMedianMs = round(median(inspectTimes), 2);

    const rows: Row[] = [];
    for (const latencyMs of LATENCIES) {
      await setLatency(emulatorOrigin, latencyMs);
      for (const concurrency of CONCURRENCIES) {
        const size = RUN_SIZE[concurrency]!;
        for (const [kind, target] of [['direct', direct], ['relay', relay]] as const) {
          await run(target, Math.ceil(size / 5), concurrency); // warm-up
          const reps: Row[] = [];
          for (let r = 0; r < REPETITIONS; r++) {
            const cpuBefore = kind === 'relay' ? cpuMs(pid) : 0;
            if (kind === 'relay') await httpRequest(`${appUrl}/metrics/reset`, { method: 'POST' });
            const { latencies, wallMs, errors } = await run(target, size, concurrency);
            const row: Row = {
              path: kind,
              latencyMs,
              concurrency,
              uploadsPerSecond: round((size / wallMs) * 1000),
              p50: round(percentile(latencies, 50), 2),
              p90: round(percentile(latencies, 90), 2),
              p99: round(percentile(latencies, 99), 2),
              errors,
            };
            if (kind === 'relay') {
              row.cpuMsPerUpload = round((cpuMs(pid) - cpuBefore) / size, 2);
              const metrics = JSON.parse((await httpRequest(`${appUrl}/metrics`, {})).body) as { eventLoopDelayMs: { p99: number } };
              row.eventLoopP99Ms = metrics.eventLoopDelayMs.p99;
            }
            reps.push(row);
          }
          // The median repetition by throughput stands for the configuration.
          const chosen = [...reps].sort((a, b) => a.uploadsPerSecond - b.uploadsPerSecond)[Math.floor(reps.length / 2)]!;
          rows.push(chosen);
          process.stdout.write(`  ${kind.padEnd(6)} latency ${String(latencyMs).padStart(2)} ms  c=${String(concurrency).padStart(2)}  ${chosen.uploadsPerSecond} uploads/s  p50 ${chosen.p50} ms  p99 ${chosen.p99} ms${chosen.errors ? `  ERRORS ${chosen.errors}` : ''}\n`);
        }
      }
    }
    const peakRss = peakRssMb(pid);

    // A 50 MB upload, declared, sent as fast as the socket takes it.
    await setLatency(emulatorOrigin, 0);
    const rejections = [];
    const lost: string[] = [];
    for (let i = 0; i < (QUICK ? 3 : 7); i++) {
      const chunk = Buffer.alloc(256 * 1024, 0x41);
      const total = 50 * 1024 * 1024;
      const res = await rawExchange(
        appUrl,
        [`POST /organizations/${targets[0]}/certificate HTTP/1.1`, 'Host: 127.0.0.1', 'X-Forwarded-Proto: https', `Cookie: ${session.cookie}`, 'Content-Type: multipart/form-data; boundary=x', `Content-Length: ${total}`].join('\r\n'),
        async (write, signal, drained) => {
          // Only as fast as the connection takes it: what was handed to the kernel counts as sent.
          for (let sent = 0; sent < total && !signal.aborted; sent += chunk.length) {
            if (!write(chunk)) await drained();
          }
        },
        { timeoutMs: 30_000 },
      ).catch((error: Error) => {
        // The app answers 413 and closes while the client is still writing; the kernel may then
        // reset the connection before the answer is read. Counted, not fatal, unless every one is.
        lost.push(error.message);
        return null;
      });
      if (res === null) continue;
      if (res.status !== 413) throw new Error(`50 MB upload answered ${res.status}`);
      rejections.push(res);
    }
    if (lost.length > 0) process.stdout.write(`  50 MB upload: ${lost.length} of ${lost.length + rejections.length} answers lost before they were read (${lost[0]})\n`);
    if (rejections.length === 0) throw new Error(`50 MB upload: no 413 was read in ${lost.length} attempts`);
    const rejectMs = round(median(rejections.map((r) => r.firstByteMs)), 2);
    const rejectBytes = Math.round(median(rejections.map((r) => r.bytesSentBeforeResponse)));

    // The expiry radar over 3,000 organizations (cache off), upstream at 50 ms.
    await setLatency(emulatorOrigin, 50);
    const radarTimes: number[] = [];
    let radarStatus = 0;
    for (let i = 0; i < (QUICK ? 2 : 5); i++) {
      const t0 = performance.now();
      const res = await httpRequest(`${appUrl}/radar`, { headers: { ...PROXY, Cookie: session.cookie } });
      radarTimes.push(performance.now() - t0);
      radarStatus = res.status;
    }
    await setLatency(emulatorOrigin, 0);
    const radarMs = round(median(radarTimes.slice(1).length ? radarTimes.slice(1) : radarTimes));

    const find = (p: Row['path'], latency: number, c: number) => rows.find((r) => r.path === p && r.latencyMs === latency && r.concurrency === c)!;
    const addedC1 = round(find('relay', 0, 1).p50 - find('direct', 0, 1).p50, 2);
    const cpuC64 = find('relay', 0, 64).cpuMsPerUpload!;
    const eldC64 = Math.max(find('relay', 0, 64).eventLoopP99Ms!, find('relay', 50, 64).eventLoopP99Ms!);
    const targetsMet = [
      { target: 'added latency at c=1 (p50, relay − direct, 0 ms upstream)', value: `${addedC1} ms`, limit: `≤ ${round(inspectMedianMs + 1, 2)} ms (check ${inspectMedianMs} + 1)`, met: addedC1 <= inspectMedianMs + 1 },
      { target: 'CPU per upload (c=64, 0 ms upstream)', value: `${cpuC64} ms`, limit: `≤ ${round(inspectMedianMs + 1.5, 2)} ms (check + 1.5)`, met: cpuC64 <= inspectMedianMs + 1.5 },
      { target: 'peak RSS (after every run, c=64 included)', value: `${peakRss} MB`, limit: '< 120 MB', met: peakRss < 120 },
      { target: 'event-loop delay p99 at c=64', value: `${eldC64} ms`, limit: '< 20 ms', met: eldC64 < 20 },
      { target: '50 MB upload rejected', value: `${rejectMs} ms after ${round(rejectBytes / 1024)} KB sent`, limit: '< 50 ms, < 1 MB read', met: rejectMs < 50 && rejectBytes < 1024 * 1024 },
      { target: `radar over 3,000 organizations at 50 ms (HTTP ${radarStatus})`, value: `${radarMs} ms`, limit: '< 1000 ms', met: radarMs < 1000 && radarStatus === 200 },
    ];

    // SQLite and PostgreSQL, one and two instances (scripts/bench-databases.ts), on the same emulator.
    process.stdout.write('  databases (relay, 0 ms upstream):\n');
    const { PORT: _fixedPort, ...sharedEnv } = appEnv;
    const databases = await benchDatabases({ env: sharedEnv, pair, targets, quick: QUICK, proxyHeaders: PROXY }, process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined);

    const result = {
      date: new Date().toISOString(),
      quick: QUICK,
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', memoryGb: round(os.totalmem() / 1024 ** 3), node: process.version, platform: `${os.type()} ${os.release()}` },
      settings: { repetitions: REPETITIONS, runSize: RUN_SIZE, warmUp: '1/5 of a run' },
      inspectMedianMs,
      rows,
      peakRssMb: peakRss,
      reject50Mb: { ms: rejectMs, bytesSentBeforeResponse: rejectBytes },
      radar: { ms: radarMs, status: radarStatus },
      targets: targetsMet,
      databases,
      totalSeconds: round((performance.now() - wallStart) / 1000),
    };
    fs.mkdirSync(path.join(REPO_ROOT, 'bench-results'), { recursive: true });
    fs.writeFileSync(path.join(REPO_ROOT, 'bench-results/latest.json'), `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`\n${renderTable(result)}\n\n${renderDatabaseTable(databases)}\n`);
  } finally {
    if (app && app.child.exitCode === null) {
      app.child.kill('SIGTERM');
      await app.exited;
    }
    emulator.kill('SIGTERM');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The Markdown table the README shows. */
export function renderTable(result: { date: string; machine: { cpus: number; model: string; node: string }; inspectMedianMs: number; rows: Row[]; targets: { target: string; value: string; limit: string; met: boolean }[]; totalSeconds: number; quick: boolean }): string {
  const lines = [
    `${result.date.slice(0, 10)}, ${result.machine.cpus} × ${result.machine.model}, Node ${result.machine.node}${result.quick ? ' (quick run)' : ''}; certificate check (inspectCsd) median ${result.inspectMedianMs} ms.`,
    '',
    '| path | upstream latency | concurrency | uploads/s | p50 ms | p90 ms | p99 ms | CPU ms/upload | event-loop p99 ms | errors |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...result.rows.map((r) => `| ${r.path} | ${r.latencyMs} ms | ${r.concurrency} | ${r.uploadsPerSecond} | ${r.p50} | ${r.p90} | ${r.p99} | ${r.cpuMsPerUpload ?? '—'} | ${r.eventLoopP99Ms ?? '—'} | ${r.errors} |`),
    '',
    '| target | measured | limit | met |',
    '| --- | --- | --- | --- |',
    ...result.targets.map((t) => `| ${t.target} | ${t.value} | ${t.limit} | ${t.met ? 'yes' : '**no**'} |`),
    '',
    `Total bench time ${result.totalSeconds} s.`,
  ];
  return lines.join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
