/**
 * Answers requests Node's HTTP parser cannot read (broken framing, bytes after a body shorter
 * than its Content-Length, oversized headers) or that did not arrive within the server's
 * headers/request deadlines, with a short plain-text message in both languages instead of Node's
 * bare status line, and then frees the socket.
 *
 * If the app has the whole request and is answering it, that answer is let out first. If the app
 * is still waiting for the request's body (the deadline passed while a form parser was reading),
 * no answer is coming from it: the 408 goes out now. Either way the socket is closed, at the
 * latest LINGER_MS after the answer (time for the client to read it rather than get a reset).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { translator } from '../i18n/index.js';

const LINGER_MS = 1_000;
const installed = new WeakSet<Server>();

const bothLanguages = (key: 'error.badRequest' | 'error.requestTimeout') => `${translator('es')(key)} / ${translator('en')(key)}\n`;

function answerFor(code: string | undefined): { status: number; text: string; message: string } {
  if (code === 'HPE_HEADER_OVERFLOW') return { status: 431, text: 'Request Header Fields Too Large', message: bothLanguages('error.badRequest') };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, text: 'Request Timeout', message: bothLanguages('error.requestTimeout') };
  return { status: 400, text: 'Bad Request', message: bothLanguages('error.badRequest') };
}

type InFlight = ServerResponse & { req?: IncomingMessage };

/** Closes the socket once it has sent what it has, or after LINGER_MS whatever the client does. */
function closeSoon(socket: Socket): void {
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

/** Installs the handler on a server (createHttpServer does; installing twice is harmless). */
export function handleClientErrors(server: Server): void {
  if (installed.has(server)) return;
  installed.add(server);
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    const inFlight = (socket as Socket & { _httpMessage?: InFlight | null })._httpMessage;
    const answering = inFlight && !inFlight.writableFinished;
    const waitingForBody = answering && !inFlight.headersSent && inFlight.req !== undefined && !inFlight.req.complete;
    if (answering && !waitingForBody) {
      // The app is answering the request that preceded the garbage: let that answer out.
      inFlight.once('finish', () => closeSoon(socket));
      inFlight.once('close', () => socket.destroy());
      return;
    }
    if (socket.writable && error.code !== 'ECONNRESET') {
      const { status, text, message } = answerFor(error.code);
      const body = Buffer.from(message, 'utf8');
      socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${message}`);
      closeSoon(socket);
      return;
    }
    socket.destroy();
  });
}
