import type { RequestHandler } from 'express';
import { errorBody, sendError } from './error-catalog.js';
import type { FaultController } from './faults.js';

/**
 * Applies the active fault, if any, before authentication and routing: faults stand for the
 * network and Facturapi's infrastructure, which fail whoever is asking. `timers` lets
 * `close()` cancel pending latency so a closed emulator keeps no process alive.
 */
export function faultMiddleware(controller: FaultController, timers: Set<NodeJS.Timeout>): RequestHandler {
  return (req, res, next) => {
    const fault = controller.take(req.method, req.path);
    if (fault === null) return next();
    switch (fault.kind) {
      case 'latency': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          next();
        }, fault.ms);
        timers.add(timer);
        return;
      }
      case 'hang':
        // Deliberately nothing: no status, no body, the socket stays open.
        return;
      case 'status':
        if (fault.json) {
          res.status(fault.status).json(errorBody('internal_error', fault.status));
        } else {
          res.status(fault.status).type('html').send(`<html><head><title>${fault.status}</title></head><body><center><h1>${fault.status} Bad Gateway</h1></center><hr><center>nginx</center></body></html>`);
        }
        return;
      case 'rate_limit':
        res.set('Retry-After', String(fault.retryAfterSeconds));
        sendError(res, 'rate_limit_exceeded');
        return;
      case 'error': {
        const message = fault.message ?? 'La solicitud no pudo procesarse.';
        res.status(fault.status).json(fault.code ? { ok: false, message, status: fault.status, code: fault.code } : { message, ok: false });
        return;
      }
      case 'malformed_json':
        res.status(200).type('application/json').send('{"id":"65a1c0de0000000000000001","legal":{"name":"Trunc');
        return;
      case 'drop_response':
        // Let the route do its work; whatever it answers never leaves.
        res.writeHead = (() => {
          res.socket?.destroy();
          return res;
        }) as typeof res.writeHead;
        return next();
      case 'reset':
        // Promise a long body, deliver a fragment, then kill the connection.
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': '4096' });
        res.write('{"id":"65a1c0de', () => res.socket?.destroy());
        return;
    }
  };
}
