/**
 * A before/after table of two bench results (bench-results/*.json): for each configuration the
 * relay's uploads/s, p50/p99, CPU per upload and event-loop p99, before → after, next to the
 * direct floor of the "after" run. `npx tsx scripts/bench/compare.ts BEFORE.json AFTER.json`
 */
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { find, type BenchResult, type Row } from './report.js';

const arrow = (before: number | undefined, after: number | undefined) => `${before ?? '—'} → ${after ?? '—'}`;

export function compareTable(before: BenchResult, after: BenchResult): string {
  const lines = [
    `before: ${before.date.slice(0, 16)} (load ${before.machine.loadAverageBefore}–${before.machine.loadAverageAfter}), after: ${after.date.slice(0, 16)} (load ${after.machine.loadAverageBefore}–${after.machine.loadAverageAfter}); ` +
      `certificate check median ${before.inspectMedianMs} → ${after.inspectMedianMs} ms (CPU ${before.inspectCpuMedianMs ?? '—'} → ${after.inspectCpuMedianMs ?? '—'} ms); peak RSS plain ${arrow(before.peakRssMb.plain, after.peakRssMb.plain)} MB, TLS ${arrow(before.peakRssMb.tls, after.peakRssMb.tls)} MB.`,
    '',
    '| upstream | latency | c | direct uploads/s | relay uploads/s | relay p50 ms | relay p99 ms | added p50 ms (relay − direct) | app CPU ms/upload | main thread ms/upload | event-loop p99 ms |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const row of after.rows.filter((r) => r.path === 'relay' && r.upstream !== 'emulator')) {
    const key = [row.upstream, row.latencyMs, row.concurrency] as const;
    const b: Row | undefined = find(before.rows, 'relay', ...key);
    const bd = find(before.rows, 'direct', ...key);
    const ad = find(after.rows, 'direct', ...key);
    const added = (relay?: Row, direct?: Row) => (relay && direct ? Math.round((relay.p50 - direct.p50) * 100) / 100 : undefined);
    lines.push(
      `| ${row.upstream} | ${row.latencyMs} ms | ${row.concurrency} | ${arrow(bd?.uploadsPerSecond, ad?.uploadsPerSecond)} | ${arrow(b?.uploadsPerSecond, row.uploadsPerSecond)} | ${arrow(b?.p50, row.p50)} | ${arrow(b?.p99, row.p99)} | ` +
        `${arrow(added(b, bd), added(row, ad))} | ${arrow(b?.cpuMsPerUpload, row.cpuMsPerUpload)} | ${arrow(b?.mainThreadCpuMsPerUpload, row.mainThreadCpuMsPerUpload)} | ${arrow(b?.eventLoopP99Ms, row.eventLoopP99Ms)} |`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [beforeFile, afterFile] = process.argv.slice(2);
  if (!beforeFile || !afterFile) throw new Error('usage: compare.ts BEFORE.json AFTER.json');
  const read = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as BenchResult;
  process.stdout.write(`${compareTable(read(beforeFile), read(afterFile))}\n`);
}
