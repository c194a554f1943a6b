/*
 * `npx tsx scripts/bench/probe.ts [--build] [--runs N] [--threads] [--gc] [--alloc FILE]`: one lever's effect in about half a minute.
 * The full bench (`npm run bench`) is the record; this is for trying a change: the built app against
 * the plain upstream stub only, warmed up, then c=1 (added latency over the direct floor, CPU per
 * upload) and c=64 with an instant and a 50 ms upstream (uploads/s, CPU per upload, event-loop p99),
 * the smallest CPU of N runs (a busy machine only adds), and peak RSS.
 * BENCH_NODE_ARGS passes node flags to the app, as in the bench. Where an upload's cost goes, each
 * from one extra c=64 run of 1,000 uploads before the measured ones:
 * - `--threads`: CPU per upload by thread (the main thread, the check's worker, V8's GC helpers);
 * - `--gc`: the main isolate's scavenges, bytes allocated and promoted per upload (`--trace-gc-nvp`,
 *   which itself costs a little CPU in every run of that probe);
 * - `--alloc FILE`: a sampling heap profile of that run (allocation-sampler.mjs), summarised by
 *   allocation-summary.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { httpRequest } from '../../tools/raw-http.js';
import { buildServer } from '../../tools/spawned-server.js';
import { createThrowawayTls } from '../../tools/throwaway-tls.js';
import { cpuMs, freePort, threadCpuMs, loadAverage, median, peakRssMb, percentile, round, run } from './measure.js';
import { summariseAllocations } from './allocation-summary.js';
import { startApp, startStub } from './processes.js';
import { checkCost, directTarget, relayTarget, workload } from './workload.js';

const { values: flags } = parseArgs({ options: { build: { type: 'boolean', default: false }, runs: { type: 'string', default: '3' }, threads: { type: 'boolean', default: false }, gc: { type: 'boolean', default: false }, alloc: { type: 'string' } } });
const RUNS = Number(flags.runs);
const NODE_ARGS = [
  ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
  ...(flags.gc ? ['--trace-gc', '--trace-gc-nvp'] : []),
  ...(flags.alloc ? [`--import=${new URL('./allocation-sampler.mjs', import.meta.url).pathname}`] : []),
];
const ALLOC_FILE = flags.alloc ? path.resolve(flags.alloc) : null;
const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  if (flags.build) buildServer();
  const now = new Date();
  const w = workload(now, { emulatorPairs: 0 });
  const { pair } = w;
  const tlsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csd-relay-probe-'));
  const tls = createThrowawayTls(now);
  fs.writeFileSync(path.join(tlsDir, 'cert.pem'), tls.certPem);
  fs.writeFileSync(path.join(tlsDir, 'key.pem'), tls.keyPem, { mode: 0o600 });
  const stub = await startStub({ certFile: path.join(tlsDir, 'cert.pem'), keyFile: path.join(tlsDir, 'key.pem'), certificate: { rfc: pair.rfc, serialNumber: pair.certificateNumber, expiresAt: pair.validTo.toISOString() } });
  const app = await startApp({ port: await freePort(), facturapiBaseUrl: `${stub.origin}/v2`, nodeArgs: NODE_ARGS, ...(ALLOC_FILE ? { env: { ALLOCATION_PROFILE_FILE: ALLOC_FILE } } : {}) });
  try {
    const relay = relayTarget(app, w);
    const direct = directTarget(stub.origin, tls.caPem, w);
    await run(direct, 200, 8);
    await run(relay, 300, 8);
    const checkCpu = checkCost(pair, 60).cpuMs;
    const sysMs = () => cpuMs(app.pid, { kernelOnly: true });
    if (flags.gc) {
      let text = '';
      const collect = (chunk: Buffer) => (text += chunk.toString('utf8'));
      app.server.child.stdout!.on('data', collect);
      const count = 1000;
      await run(relay, count, 64);
      app.server.child.stdout!.off('data', collect);
      for (const line of gcSummary(text, count)) say(`  ${line}`);
    }
    if (ALLOC_FILE) {
      const count = 1000;
      fs.rmSync(ALLOC_FILE, { force: true });
      process.kill(app.pid, 'SIGUSR2');
      await until(() => fs.existsSync(`${ALLOC_FILE}.started`));
      await run(relay, count, 64);
      process.kill(app.pid, 'SIGUSR2');
      await until(() => fs.existsSync(ALLOC_FILE));
      fs.rmSync(`${ALLOC_FILE}.started`, { force: true });
      const summary = summariseAllocations(JSON.parse(fs.readFileSync(ALLOC_FILE, 'utf8')), count, 12);
      say(`  allocated ${summary.kbPerUpload} KB per upload; by caller: ${summary.byCaller.map(([k, v]) => `${k} ${v}`).join(', ')}`);
    }
    if (flags.threads) {
      // Which threads pay: the main thread, the check's worker, V8's GC helpers, libuv's pool.
      const before = threadCpuMs(app.pid);
      const count = 1000;
      await run(relay, count, 64);
      const after = threadCpuMs(app.pid);
      for (const [name, ms] of after) say(`  thread ${name}: ${round((ms - (before.get(name) ?? 0)) / count, 2)} ms/upload`);
    }
    const measureRelay = async (count: number, concurrency: number) => {
      const sys0 = sysMs();
      const all0 = cpuMs(app.pid);
      const main0 = cpuMs(app.pid, { mainThread: true });
      await httpRequest(`${app.url}/metrics/reset`, { method: 'POST' });
      const r = await run(relay, count, concurrency);
      const metrics = JSON.parse((await httpRequest(`${app.url}/metrics`, {})).body) as { eventLoopDelayMs: { p99: number } };
      return { ...r, sys: (sysMs() - sys0) / count, cpu: (cpuMs(app.pid) - all0) / count, main: (cpuMs(app.pid, { mainThread: true }) - main0) / count, elP99: metrics.eventLoopDelayMs.p99, rate: (count / r.wallMs) * 1000 };
    };
    const best = <T>(xs: T[], by: (x: T) => number) => [...xs].sort((a, b) => by(a) - by(b))[0]!;
    const c1: Awaited<ReturnType<typeof measureRelay>>[] = [];
    const d1: number[] = [];
    const c64: Awaited<ReturnType<typeof measureRelay>>[] = [];
    const c64slow: Awaited<ReturnType<typeof measureRelay>>[] = [];
    for (let r = 0; r < RUNS; r++) {
      await stub.setLatency(0);
      d1.push(percentile((await run(direct, 150, 1)).latencies, 50));
      c1.push(await measureRelay(200, 1));
      c64.push(await measureRelay(1000, 64));
      await stub.setLatency(50);
      c64slow.push(await measureRelay(800, 64));
    }
    const b1 = best(c1, (x) => x.cpu);
    const b64 = best(c64, (x) => x.cpu);
    const bSlow = best(c64slow, (x) => -x.rate);
    const added = round(median(c1.map((x) => percentile(x.latencies, 50))) - median(d1), 2);
    const memory = (JSON.parse((await httpRequest(`${app.url}/metrics`, {})).body) as { memory: Record<string, number> }).memory;
    const status = fs.readFileSync(`/proc/${app.pid}/status`, 'utf8');
    const kb = (field: string) => Math.round(Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN) / 1024);
    say(`memory now: RSS ${kb('VmRSS')} MB (anon ${kb('RssAnon')}, file ${kb('RssFile')}), main heap ${Math.round(memory.heapTotalBytes! / 2 ** 20)} MB total / ${Math.round(memory.heapUsedBytes! / 2 ** 20)} used, external ${Math.round(memory.externalBytes! / 2 ** 20)} MB, array buffers ${Math.round(memory.arrayBuffersBytes! / 2 ** 20)} MB`);
    say(`probe (load ${loadAverage()}): check CPU ${checkCpu} ms | c=1 added ${added} ms, CPU ${round(b1.cpu, 2)} (main ${round(b1.main, 2)}) | c=64 ${round(b64.rate)}/s CPU ${round(b64.cpu, 2)} (main ${round(b64.main, 2)}, kernel ${round(b64.sys, 2)}) EL p99 ${b64.elP99} | c=64@50ms ${round(bSlow.rate)}/s EL p99 ${bSlow.elP99} | RSS ${peakRssMb(app.pid)} MB | errors ${[...c1, ...c64, ...c64slow].reduce((n, x) => n + x.errors, 0)}`);
    if (process.env.PROBE_HEAPSNAPSHOT) {
      // Started with --heapsnapshot-signal=SIGUSR2: a snapshot (after a full GC) lands in the app's cwd.
      process.kill(app.pid, 'SIGUSR2');
      await new Promise((resolve) => setTimeout(resolve, 15_000));
    }
  } finally {
    await app.stop();
    stub.child.kill('SIGTERM');
    fs.rmSync(tlsDir, { recursive: true, force: true });
  }
}

/** Polls `condition` every 50 ms for at most 30 s (a file the app writes when told by a signal). */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('the app did not answer the signal within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Per isolate (the main thread's allocates the most, so it comes first): `--trace-gc-nvp` lines summed. */
function gcSummary(text: string, uploads: number): string[] {
  const isolates = new Map<string, Map<string, { count: number; pauseMs: number; allocated: number; promoted: number }>>();
  for (const line of text.split('\n')) {
    const fields = Object.fromEntries(line.split(/\s+/).map((part) => part.split('=')).filter((kv) => kv.length === 2)) as Record<string, string>;
    if (!fields.gc) continue;
    const isolate = /0x[0-9a-f]+/.exec(line)?.[0] ?? '?';
    const kinds = isolates.get(isolate) ?? new Map();
    const kind = kinds.get(fields.gc) ?? { count: 0, pauseMs: 0, allocated: 0, promoted: 0 };
    kind.count += 1;
    kind.pauseMs += Number(fields.pause ?? 0);
    kind.allocated += Number(fields.allocated ?? 0);
    kind.promoted += Number(fields.promoted ?? 0);
    kinds.set(fields.gc, kind);
    isolates.set(isolate, kinds);
  }
  const allocated = (kinds: Map<string, { allocated: number }>) => [...kinds.values()].reduce((n, k) => n + k.allocated, 0);
  const kb = (bytes: number) => round(bytes / uploads / 1024, 1);
  return [...isolates.values()]
    .sort((a, b) => allocated(b) - allocated(a))
    .map((kinds, i) => `${i === 0 ? 'main isolate' : `isolate ${i + 1}`}: allocated ${kb(allocated(kinds))} KB/upload; ` +
      [...kinds].map(([name, k]) => `${name === 's' ? 'scavenges' : name === 'mc' ? 'mark-compacts' : name} ${k.count} (pause ${round(k.pauseMs / uploads, 3)} ms/upload, promoted ${kb(k.promoted)} KB/upload)`).join(', '));
}

main().catch((error: unknown) => {
  process.stderr.write(`probe failed: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
