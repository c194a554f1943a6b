/**
 * Answers requests Node's HTTP parser cannot read (broken framing, bytes after a body shorter
 * than its Content-Length, oversized headers, header timeouts) with a short plain-text message in
 * both languages instead of Node's bare status line. If an app response is already under way on
 * the connection, it is let finish first; the connection is closed either way.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

const MESSAGE = 'La solicitud no es válida. / The request is not valid.\n';

function statusFor(code: string | undefined): { status: number; text: string } {
  if (code === 'HPE_HEADER_OVERFLOW') return { status: 431, text: 'Request Header Fields Too Large' };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT' || code === 'HPE_HEADER_TIMEOUT') return { status: 408, text: 'Request Timeout' };
  return { status: 400, text: 'Bad Request' };
}

/** Installs the handler on a server (server.ts does; tests with their own server may too). */
export function handleClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    const inFlight = (socket as Socket & { _httpMessage?: NodeJS.EventEmitter & { writableFinished?: boolean } })._httpMessage;
    if (inFlight && !inFlight.writableFinished) {
      // The app is answering the request that preceded the garbage: let that answer out.
      inFlight.once('finish', () => socket.destroy());
      inFlight.once('close', () => socket.destroy());
      return;
    }
    if (socket.writable && error.code !== 'ECONNRESET') {
      const { status, text } = statusFor(error.code);
      const body = Buffer.from(MESSAGE, 'utf8');
      socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${MESSAGE}`);
      return;
    }
    socket.destroy();
  });
}
