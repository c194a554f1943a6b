/**
 * What the benchmark measures with: a closed-loop load generator over keep-alive connections,
 * percentiles, and a process's CPU time and peak RSS read from /proc (Linux).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { httpRequest } from '../../tools/raw-http.js';

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

export const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
export const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * utime + stime of a process (all its threads), or of its main thread only with `mainThread`
 * (its task id is the pid), or the system time alone with `kernelOnly`, in ms; resolution
 * 1000/CLK_TCK (10 ms).
 */
export function cpuMs(pid: number, options: { mainThread?: boolean; kernelOnly?: boolean } = {}): number {
  const stat = fs.readFileSync(options.mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((options.kernelOnly ? 0 : Number(fields[11])) + Number(fields[12])) * 1000 / CLOCK_TICKS;
}

/** CPU time (user + kernel, ms) of a process's threads, by thread (its name and id; the main thread as `main`). */
export function threadCpuMs(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = tid === String(pid) ? 'main' : `${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))} ${tid}`;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      byName.set(name, (byName.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) * 1000 / CLOCK_TICKS);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return byName;
}

/** Peak resident set size (VmHWM) of a process, in MB. */
export function peakRssMb(pid: number): number {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'))!;
  return round(Number(line.replace(/\D+/g, '')) / 1024);
}

/** The host's 1-minute load average and its CPU count, to say how busy the machine was. */
export function loadAverage(): number {
  return round(Number(fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]), 2);
}

/** One kind of request the load generator repeats. */
export interface Target {
  method: 'POST' | 'PUT';
  url: (i: number) => string;
  headers: Record<string, string | number>;
  /** The body, or one per request (all of one length: Content-Length is in `headers`). */
  body: Buffer | ((i: number) => Buffer);
  expect: number;
  /** A keep-alive agent for `concurrency` connections (an https.Agent carries the CA). */
  agent: (concurrency: number) => http.Agent;
}

export interface RunResult {
  /** Sorted, ms. */
  latencies: number[];
  wallMs: number;
  errors: number;
}

/** Sends `count` requests from `concurrency` closed loops over keep-alive connections. */
export async function run(target: Target, count: number, concurrency: number): Promise<RunResult> {
  const agent = target.agent(concurrency);
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        const t0 = performance.now();
        const res = await httpRequest(target.url(i), { method: target.method, headers: target.headers, body: typeof target.body === 'function' ? target.body(i) : target.body, agent }).catch((error: Error) => ({ status: 0, body: error.message }));
        latencies.push(performance.now() - t0);
        if (res.status !== target.expect) {
          errors++;
          if (errors === 1 && process.env.BENCH_DEBUG) process.stderr.write(`unexpected answer: ${res.status} ${res.body.slice(0, 300)}\n`);
        }
      }
    }),
  );
  const wallMs = performance.now() - started;
  agent.destroy();
  return { latencies: latencies.sort((a, b) => a - b), wallMs, errors };
}
