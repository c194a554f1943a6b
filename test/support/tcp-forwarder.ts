/**
 * A loopback TCP forwarder that can go down and come back on the same port: while down, the port
 * refuses connections (ECONNREFUSED), which is how "Facturapi unreachable" looks from the app.
 */
import { once } from 'node:events';
import net from 'node:net';

export interface TcpForwarder {
  port: number;
  /** Where connections go (set after the target has started). */
  targetPort: number;
  /** Connections accepted so far (how many the client opened). */
  readonly accepted: number;
  /** Stops listening and cuts every open connection: the port now refuses. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpForwarder(targetPort = 0): Promise<TcpForwarder> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let port = 0;
  let accepted = 0;
  const forwarder: TcpForwarder = {
    port: 0,
    targetPort,
    get accepted() {
      return accepted;
    },
    async up() {
      server = net.createServer((client) => {
        accepted += 1;
        const upstream = net.connect(forwarder.targetPort, '127.0.0.1');
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
      port = (server.address() as net.AddressInfo).port;
      forwarder.port = port;
    },
    async down() {
      const closing = server;
      server = null;
      if (!closing) return;
      const closed = new Promise<void>((resolve) => closing.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
    close: () => forwarder.down(),
  };
  await forwarder.up();
  return forwarder;
}
