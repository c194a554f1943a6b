/*
 * `npx tsx scripts/bench/probe.ts [--build] [--runs N]`: one lever's effect in about half a minute.
 * The full bench (`npm run bench`) is the record; this is for trying a change: the built app against
 * the plain upstream stub only, warmed up, then c=1 (added latency over the direct floor, CPU per
 * upload) and c=64 with an instant and a 50 ms upstream (uploads/s, CPU per upload, event-loop p99),
 * the smallest CPU of N runs (a busy machine only adds), and peak RSS.
 * BENCH_NODE_ARGS passes node flags to the app, as in the bench.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { httpRequest } from '../../tools/raw-http.js';
import { buildServer } from '../../tools/spawned-server.js';
import { createThrowawayTls } from '../../tools/throwaway-tls.js';
import { cpuMs, freePort, threadCpuMs, loadAverage, median, peakRssMb, percentile, round, run } from './measure.js';
import { startApp, startStub } from './processes.js';
import { checkCost, directTarget, relayTarget, workload } from './workload.js';

const { values: flags } = parseArgs({ options: { build: { type: 'boolean', default: false }, runs: { type: 'string', default: '3' }, threads: { type: 'boolean', default: false } } });
const RUNS = Number(flags.runs);
const NODE_ARGS = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
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
  const app = await startApp({ port: await freePort(), facturapiBaseUrl: `${stub.origin}/v2`, nodeArgs: NODE_ARGS });
  try {
    const relay = relayTarget(app, w);
    const direct = directTarget(stub.origin, tls.caPem, w);
    await run(direct, 200, 8);
    await run(relay, 300, 8);
    const checkCpu = checkCost(pair, 60).cpuMs;
    const sysMs = () => cpuMs(app.pid, { kernelOnly: true });
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

main().catch((error: unknown) => {
  process.stderr.write(`probe failed: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
