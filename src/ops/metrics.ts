/**
 * Process metrics for operators and the benchmark, on loopback only: event-loop delay
 * (a `monitorEventLoopDelay` histogram), memory and CPU time. `GET /metrics` reports what was
 * measured since the last `POST /metrics/reset` (or start-up), so a benchmark can isolate one
 * load phase. A request that came through a proxy (any forwarding header) is refused even from
 * loopback, because a reverse proxy on the same host would otherwise expose it.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { Router, type RequestHandler } from 'express';
import { isLoopbackAddress } from '../loopback.js';

const ns = (value: number) => Math.round(value / 1e4) / 100; // nanoseconds → ms, 2 decimals

export interface EventLoopMonitor {
  histogram: IntervalHistogram;
  close(): void;
}

/** Starts sampling the event loop every 10 ms. */
export function createEventLoopMonitor(): EventLoopMonitor {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  return { histogram, close: () => histogram.disable() };
}

const loopbackOnly: RequestHandler = (req, res, next) => {
  const forwarded = req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined;
  if (isLoopbackAddress(req.socket.remoteAddress) && !forwarded) return next();
  res.status(404).type('text/plain').send('Not found\n');
};

export function metricsRouter(monitor: EventLoopMonitor): Router {
  const router = Router();
  router.get('/metrics', loopbackOnly, (_req, res) => {
    const h = monitor.histogram;
    const memory = process.memoryUsage();
    const cpu = process.cpuUsage();
    res.json({
      eventLoopDelayMs: { p50: ns(h.percentile(50)), p90: ns(h.percentile(90)), p99: ns(h.percentile(99)), max: ns(h.max), mean: ns(h.mean), samples: h.count },
      memory: { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, heapTotalBytes: memory.heapTotal, externalBytes: memory.external, arrayBuffersBytes: memory.arrayBuffers, maxRssBytes: process.resourceUsage().maxRSS * 1024 },
      cpuMs: { user: Math.round(cpu.user / 1000), system: Math.round(cpu.system / 1000) },
      uptimeSeconds: Math.round(process.uptime()),
    });
  });
  router.post('/metrics/reset', loopbackOnly, (_req, res) => {
    monitor.histogram.reset();
    res.status(204).end();
  });
  return router;
}
