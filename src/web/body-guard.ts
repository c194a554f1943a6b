/**
 * Guards the reading of an upload body, for what multer cannot do by itself:
 *
 * - a body **without** Content-Length (chunked) is counted as it streams and refused with a 413 as
 *   soon as it passes the limit; multer would otherwise drain it to the end before failing
 *   (docs/stack.md pitfall 2);
 * - a body that takes longer than the read deadline (a client dripping bytes) gets a 408.
 *
 * Either way the answer goes out at once with `Connection: close`, the parser is cut loose, and
 * the socket is kept only for a short, bounded "lingering close": reading (and discarding) what
 * the client already sent lets it receive the answer instead of a connection reset.
 */
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../http/errors.js';

/** How long, and how many discarded bytes, a refused request's socket is kept to deliver the answer. */
const LINGER_MS = 1_000;
const LINGER_BYTES = 1024 * 1024;

/** The body could not be read within the limits: 413 (too large) or 408 (too slow). */
export class BodyReadError extends AppError {
  constructor(status: 408 | 413) {
    super(status, status === 408 ? 'error.requestTimeout' : 'error.payloadTooLarge');
  }
}

export interface BodyGuardOptions {
  /** Bytes of body accepted, whatever the headers say. */
  maxBytes: number;
  /** Time allowed to read the whole body, from the moment parsing starts. */
  readTimeoutMs: number;
}

/** What the parser's stream handler needs for one request: where to report the bytes it sees. */
type ByteCounter = (bytes: number) => void;

/**
 * Creates a guard: `counters` lets the parser's stream handler (multer's `streamHandler`) find the
 * byte counter of a request, and `run` wraps one parse so that exactly one of "parsed", "parser
 * failed", "too large" or "too slow" reaches `next`.
 */
export function createBodyGuard(options: BodyGuardOptions) {
  const counters = new WeakMap<IncomingMessage, ByteCounter>();

  /** Feeds `req` to `sink` (busboy), counting bytes on the way. Use as multer's `streamHandler`. */
  function streamHandler(req: IncomingMessage, sink: NodeJS.WritableStream): void {
    const count = counters.get(req);
    if (count) req.on('data', (chunk: Buffer) => count(chunk.length));
    req.pipe(sink);
  }

  function run(req: Request, res: Response, next: NextFunction, parse: (done: (error?: unknown) => void) => void): void {
    let settled = false;
    let received = 0;
    const settle = (error?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      counters.delete(req);
      next(error);
    };
    const refuse = (status: 408 | 413) => {
      if (settled) return;
      // Cut the parser loose: it will never see another byte, and it may never call back.
      req.unpipe();
      req.removeAllListeners('data');
      req.pause();
      res.setHeader('Connection', 'close');
      res.once('finish', () => linger(req));
      settle(new BodyReadError(status));
    };
    counters.set(req, (bytes) => {
      received += bytes;
      if (received > options.maxBytes) refuse(413);
    });
    const timer = setTimeout(() => refuse(408), options.readTimeoutMs);
    parse(settle);
  }

  return { streamHandler, run };
}

/**
 * After the refusal is written: discard what keeps arriving for a moment so the client can read
 * the answer, then free the socket whatever the client does.
 */
function linger(req: IncomingMessage): void {
  const socket = req.socket;
  if (socket.destroyed) return;
  let discarded = 0;
  const stop = () => socket.destroy();
  const timer = setTimeout(stop, LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > LINGER_BYTES) stop();
  });
  req.resume();
}
