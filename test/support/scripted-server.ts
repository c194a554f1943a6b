import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Handles request number `index` (0-based). */
export type ScriptedHandler = (req: IncomingMessage, res: ServerResponse, index: number) => void;

/** A raw `node:http` server on 127.0.0.1:0 for responses the emulator cannot produce. */
export interface ScriptedServer {
  /** Base URL ending in `/v2`. */
  url: string;
  port: number;
  /** Requests received so far. */
  readonly count: number;
  close(): Promise<void>;
}

/** Starts a server that answers with `handler`, counting requests. */
export async function startScriptedServer(handler: ScriptedHandler): Promise<ScriptedServer> {
  let count = 0;
  const server = createServer((req, res) => {
    const index = count++;
    // Drain the body so multipart uploads never stall on back-pressure.
    req.resume();
    handler(req, res, index);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v2`,
    port,
    get count() {
      return count;
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** A port nothing listens on: bind one, then release it. */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
