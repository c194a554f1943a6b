/**
 * The benchmark's verdicts: issue 14's targets (met or missed, by how much), the CI regression
 * guard, and the Markdown tables the README shows.
 */
import type { DatabaseRow } from '../bench-databases.js';
import { round } from './measure.js';

export type Upstream = 'plain' | 'tls' | 'emulator';

export interface Row {
  path: 'relay' | 'direct';
  /** What answered: the stub over http or https, or the emulator (correctness run). */
  upstream: Upstream;
  latencyMs: number;
  concurrency: number;
  uploadsPerSecond: number;
  p50: number;
  p90: number;
  p99: number;
  errors: number;
  /** The app's CPU (all threads, the certificate check's worker included) per upload. */
  cpuMsPerUpload?: number;
  /** The app's main thread alone (the event loop: everything but the check, GC helpers and libuv's pool). */
  mainThreadCpuMsPerUpload?: number;
  /** The upstream process's CPU per upload (the stub's cost, to show it is small). */
  upstreamCpuMsPerUpload?: number;
  eventLoopP99Ms?: number;
}

export interface Verdict {
  target: string;
  value: string;
  limit: string;
  met: boolean;
  /** How far from the limit, in the target's unit (positive = missed by). */
  missedBy?: string;
}

export interface Measurements {
  /** The certificate check's median wall time: the latency it adds. */
  inspectMedianMs: number;
  /** Its median CPU time (process.cpuUsage): what CPU per upload is compared with. */
  inspectCpuMedianMs: number;
  /** The guard's repetitions (c=64, plain, 0 ms): app CPU per upload, the check's CPU measured around it. */
  guardRuns: { cpuMs: number; checkCpuMs: number; errors: number }[];
  rows: Row[];
  peakRssMb: Record<'plain' | 'tls', number>;
  /** `lost`: attempts whose 413 the client never read (the connection was reset first). */
  reject50Mb: { ms: number; bytesSentBeforeResponse: number; lost: number };
  radar: { ms: number; status: number };
}

/**
 * How much CPU per upload beyond the certificate check CI tolerates (issue 14, point 4): loose,
 * for noisy shared machines, but a feature that doubles the cost of an upload crosses it.
 * BENCH_GUARD_MARGIN_MS overrides it (say why where you set it).
 */
export const GUARD_MARGIN_MS = Number(process.env.BENCH_GUARD_MARGIN_MS ?? 3);

/**
 * The check's CPU time on this machine in its fast minutes (1.29–1.34 ms in the bench runs of
 * 2026-12-02). The host's speed drifts by 1.6× within minutes, and the app's own overhead drifts
 * with it: on one quiet machine, runs where the check took 1.7–2.1 ms measured 2.7–3.6 ms of
 * overhead, and runs where it took 1.3 ms measured 1.8–2.4. So the overhead is compared in this
 * machine's fast-minute milliseconds: scaled down by how much slower than this the check ran
 * around it (never up: on a faster machine the raw figure stands). BENCH_REFERENCE_CHECK_MS sets it
 * for another machine.
 */
export const REFERENCE_CHECK_MS = Number(process.env.BENCH_REFERENCE_CHECK_MS ?? 1.3);

export function find(rows: Row[], path: Row['path'], upstream: Upstream, latencyMs: number, concurrency: number): Row | undefined {
  return rows.find((r) => r.path === path && r.upstream === upstream && r.latencyMs === latencyMs && r.concurrency === concurrency);
}

const missed = (value: number, limit: number, unit: string, higherIsBetter = false) => {
  const by = higherIsBetter ? limit - value : value - limit;
  return by > 0 ? `${round(by, 2)} ${unit}` : undefined;
};

/** Issue 14's targets, each against the stub over plain HTTP and over TLS. */
export function targets(m: Measurements): Verdict[] {
  const check = m.inspectMedianMs;
  const out: Verdict[] = [];
  for (const upstream of ['plain', 'tls'] as const) {
    const relayC1 = find(m.rows, 'relay', upstream, 0, 1);
    const directC1 = find(m.rows, 'direct', upstream, 0, 1);
    const relayC64 = find(m.rows, 'relay', upstream, 0, 64);
    const relay50 = find(m.rows, 'relay', upstream, 50, 64);
    if (!relayC1 || !directC1 || !relayC64 || !relay50) continue;
    const added = round(relayC1.p50 - directC1.p50, 2);
    const limitAdded = round(check + 1, 2);
    out.push({ target: `added latency at c=1, ${upstream} (p50 relay − direct, 0 ms upstream)`, value: `${added} ms`, limit: `≤ ${limitAdded} ms (check + 1)`, met: added <= limitAdded, missedBy: missed(added, limitAdded, 'ms') });
    const cpu = relayC64.cpuMsPerUpload!;
    const limitCpu = round(m.inspectCpuMedianMs + 1, 2);
    out.push({ target: `CPU per upload at c=64, ${upstream} (0 ms upstream)`, value: `${cpu} ms`, limit: `≤ ${limitCpu} ms (check's CPU + 1)`, met: cpu <= limitCpu, missedBy: missed(cpu, limitCpu, 'ms') });
    out.push({ target: `uploads/s at c=64, ${upstream}, 50 ms upstream`, value: `${relay50.uploadsPerSecond}/s`, limit: '≥ 500/s', met: relay50.uploadsPerSecond >= 500, missedBy: missed(relay50.uploadsPerSecond, 500, '/s', true) });
    const eld = Math.max(relayC64.eventLoopP99Ms!, relay50.eventLoopP99Ms!);
    out.push({ target: `event-loop delay p99 at c=64, ${upstream} (worse of 0 and 50 ms)`, value: `${eld} ms`, limit: '≤ 20 ms', met: eld <= 20, missedBy: missed(eld, 20, 'ms') });
    const rss = m.peakRssMb[upstream];
    out.push({ target: `peak RSS, ${upstream} (after every run, c=64 included)`, value: `${rss} MB`, limit: '≤ 160 MB', met: rss <= 160, missedBy: missed(rss, 160, 'MB') });
  }
  const { ms: rejectMs, bytesSentBeforeResponse: rejectBytes } = m.reject50Mb;
  const lost = m.reject50Mb.lost ? `, ${m.reject50Mb.lost} answers lost to a reset` : '';
  out.push({ target: '50 MB upload rejected (bytes the client had handed to the kernel by then)', value: `${rejectMs} ms after ${round(rejectBytes / 1024)} KB sent${lost}`, limit: '< 50 ms', met: rejectMs < 50 });
  out.push({ target: `radar over 3,000 organizations at 50 ms (emulator, HTTP ${m.radar.status})`, value: `${m.radar.ms} ms`, limit: '< 1000 ms', met: m.radar.ms < 1000 && m.radar.status === 200 });
  return out;
}

/**
 * CI's guard: CPU per upload (c=64, plain, instant upstream) ≤ the check's median CPU + 3 ms.
 * Three repetitions, each with the check measured right before and after it; the smallest
 * overhead stands (a busy machine only adds). Also printed: the overhead in units of the check,
 * which the machine's drifting speed (a shared host) changes less than milliseconds.
 */
export function regressionGuard(
  m: Pick<Measurements, 'guardRuns'>,
  limits: { marginMs: number; referenceCheckMs: number } = { marginMs: GUARD_MARGIN_MS, referenceCheckMs: REFERENCE_CHECK_MS },
): { ok: boolean; cpuMs: number; checkMs: number; overheadMs: number; scaledOverheadMs: number; overheadInChecks: number; allOverheadsMs: number[]; message: string } {
  const runs = m.guardRuns.map((r) => {
    const overheadMs = round(r.cpuMs - r.checkCpuMs, 2);
    const slowdown = Math.max(1, r.checkCpuMs / limits.referenceCheckMs);
    return { ...r, overheadMs, scaledOverheadMs: round(overheadMs / slowdown, 2) };
  });
  // Noise only adds CPU: the smallest (scaled) overhead of the repetitions stands.
  const best = [...runs].sort((a, b) => a.scaledOverheadMs - b.scaledOverheadMs)[0];
  const cpuMs = best?.cpuMs ?? NaN;
  const checkMs = best?.checkCpuMs ?? NaN;
  const overheadMs = best?.overheadMs ?? NaN;
  const scaledOverheadMs = best?.scaledOverheadMs ?? NaN;
  const overheadInChecks = round(overheadMs / checkMs, 2);
  const errors = runs.reduce((n, r) => n + r.errors, 0);
  const ok = Number.isFinite(scaledOverheadMs) && scaledOverheadMs <= limits.marginMs && errors === 0;
  const scaled = scaledOverheadMs === overheadMs ? '' : `, ${scaledOverheadMs} ms at this machine's reference speed (the check ran ${round(checkMs / limits.referenceCheckMs, 2)} × its ${limits.referenceCheckMs} ms)`;
  const message =
    `regression guard: CPU per upload ${cpuMs} ms (c=64, stub, 0 ms), certificate check's CPU ${checkMs} ms around it, ` +
    `difference ${overheadMs} ms${scaled} (${overheadInChecks} × the check; the best of ${runs.map((r) => r.scaledOverheadMs).join(', ')} ms), limit ${limits.marginMs} ms ` +
    `(margin ${round(limits.marginMs - scaledOverheadMs, 2)} ms)${errors ? `, ${errors} failed uploads` : ''}: ${ok ? 'ok' : 'FAILED'}`;
  return { ok, cpuMs, checkMs, overheadMs, scaledOverheadMs, overheadInChecks, allOverheadsMs: runs.map((r) => r.overheadMs), message };
}

export interface BenchResult extends Measurements {
  date: string;
  quick: boolean;
  machine: { cpus: number; model: string; node: string; loadAverageBefore: number; loadAverageAfter: number };
  nodeArgs: string[];
  targets: Verdict[];
  guard: ReturnType<typeof regressionGuard>;
  /** The database column (issue 13): SQLite and PostgreSQL, one and two instances. */
  databases?: { rows: DatabaseRow[]; skipped: string | null };
  totalSeconds: number;
}

/** The Markdown the README shows. */
export function renderTable(result: BenchResult): string {
  const cell = (v: number | undefined) => (v === undefined ? '—' : String(v));
  const lines = [
    `${result.date.slice(0, 10)}, ${result.machine.cpus} × ${result.machine.model}, Node ${result.machine.node}${result.quick ? ' (quick run)' : ''}; ` +
      `load average ${result.machine.loadAverageBefore} before, ${result.machine.loadAverageAfter} after; certificate check (inspectCsd) median ${result.inspectMedianMs} ms (CPU ${result.inspectCpuMedianMs} ms); ` +
      `peak RSS ${result.peakRssMb.plain} MB (plain), ${result.peakRssMb.tls} MB (TLS)${result.nodeArgs.length ? `; app started with ${result.nodeArgs.join(' ')}` : ''}.`,
    '',
    '| path | upstream | latency | c | uploads/s | p50 ms | p90 ms | p99 ms | app CPU ms/upload | of which main thread | upstream CPU ms/upload | event-loop p99 ms | errors |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...result.rows.map(
      (r) =>
        `| ${r.path} | ${r.upstream} | ${r.latencyMs} ms | ${r.concurrency} | ${r.uploadsPerSecond} | ${r.p50} | ${r.p90} | ${r.p99} | ${cell(r.cpuMsPerUpload)} | ${cell(r.mainThreadCpuMsPerUpload)} | ${cell(r.upstreamCpuMsPerUpload)} | ${cell(r.eventLoopP99Ms)} | ${r.errors} |`,
    ),
    '',
    '| target | measured | limit | met |',
    '| --- | --- | --- | --- |',
    ...result.targets.map((t) => `| ${t.target} | ${t.value} | ${t.limit} | ${t.met ? 'yes' : `**no**${t.missedBy ? ` (by ${t.missedBy})` : ''}`} |`),
    '',
    result.guard.message,
    '',
    `Total bench time ${result.totalSeconds} s.`,
  ];
  return lines.join('\n');
}
