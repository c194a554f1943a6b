import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { faultOptionsSchema, faultSchema, type FaultController } from './faults.js';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/** True for loopback addresses (IPv4, IPv6 and IPv4-mapped). */
export function isLoopbackAddress(address: string | undefined): boolean {
  return address !== undefined && LOOPBACK.test(address);
}

const onlyLoopback: RequestHandler = (req, res, next) => {
  if (isLoopbackAddress(req.socket.remoteAddress)) return next();
  res.status(403).json({ ok: false, status: 403, code: 'forbidden', message: 'Control endpoint is loopback-only.' });
};

const setFaultBody = faultOptionsSchema.extend({ fault: faultSchema.nullable() });

/**
 * `/_emulator/faults`: lets another process (a benchmark, the app's reliability tests) switch
 * faults. `POST {fault, times?, match?}` sets one, `DELETE` heals, `GET` shows the current one.
 */
export function controlRoutes(faults: FaultController): Router {
  const router = Router();
  router.use(onlyLoopback);
  router.get('/faults', (_req, res) => {
    res.json(faults.describe());
  });
  router.post('/faults', express.json({ limit: '4kb' }), (req, res) => {
    const parsed = setFaultBody.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ ok: false, status: 400, code: 'invalid_fault', message: z.prettifyError(parsed.error) });
      return;
    }
    const { fault, ...options } = parsed.data;
    faults.set(fault, options);
    res.json(faults.describe());
  });
  router.delete('/faults', (_req, res) => {
    faults.set(null);
    res.json(faults.describe());
  });
  return router;
}
