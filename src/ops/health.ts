/**
 * Health checks, public and secret-free: `/healthz` says the process is up; `/readyz` says whether
 * it can serve (database reachable and writable, migrations applied) and reports Facturapi
 * reachability without failing on it. The checks themselves, shared and cached, are in
 * readiness.ts.
 */
import { Router } from 'express';

export function healthRouter(readiness?: () => Promise<Record<string, unknown> & { ready: boolean }>): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const report = readiness ? await readiness().catch(() => ({ ready: false })) : { ready: true };
    res.status(report.ready ? 200 : 503).json({ status: report.ready ? 'ready' : 'not_ready', ...report });
  });
  return router;
}
