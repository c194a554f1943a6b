/**
 * The HTTP server around the app, built the same way by server.ts and the test harness: Node's
 * own deadlines set so that no client holds a socket for long, and the client-error handler
 * installed.
 *
 * - headers must arrive within FORM_BODY_TIMEOUT_MS (they are smaller than any form);
 * - a whole request within the longest body deadline plus a margin: the app's body guards
 *   (forms, uploads) answer first with a page in the person's language; this catches the rest
 *   (a route that answers without reading a body still being dripped, say);
 * - the deadlines are checked every second (Node's default is every 30 s, which would let a slow
 *   client stay up to 30 s past them).
 */
import http, { type RequestListener, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { AppConfig } from '../config.js';
import { handleClientErrors } from './client-error.js';

/** How much later than the app's own body deadline Node's request deadline falls. */
const REQUEST_DEADLINE_MARGIN_MS = 2_000;
const DEADLINE_CHECK_INTERVAL_MS = 1_000;

export function serverTimeouts(config: Pick<AppConfig, 'formBodyTimeoutMs' | 'uploadBodyTimeoutMs'>) {
  const requestTimeout = Math.max(config.formBodyTimeoutMs, config.uploadBodyTimeoutMs) + REQUEST_DEADLINE_MARGIN_MS;
  return { requestTimeout, headersTimeout: Math.min(config.formBodyTimeoutMs, requestTimeout), connectionsCheckingInterval: DEADLINE_CHECK_INTERVAL_MS };
}

export function createHttpServer(app: RequestListener, config: Pick<AppConfig, 'formBodyTimeoutMs' | 'uploadBodyTimeoutMs'>): Server {
  const server = http.createServer(serverTimeouts(config), app);
  handleClientErrors(server);
  return server;
}

/**
 * For shutdown: Node stops checking the headers/request deadlines once `server.close()` is
 * called, so a client still sending its headers would keep its socket until the grace period
 * ends. Such a socket, like an idle keep-alive one, has no request the app is answering: closing
 * it loses nothing (its request never started, as if it had come after the listener closed).
 * Sockets with a request being answered, or a body being read under the app's deadline, are kept.
 */
export function trackConnections(server: Server): { closeUnanswered(): void } {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return {
    closeUnanswered() {
      for (const socket of sockets) if (!(socket as Socket & { _httpMessage?: unknown })._httpMessage) socket.destroy();
    },
  };
}
