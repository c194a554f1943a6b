/**
 * What counts as this machine, defined once for the app: the whole 127.0.0.0/8 block, `::1` and
 * IPv4-mapped 127.x addresses, as a socket reports them, plus the name `localhost` in URLs.
 * config.ts allows plain http to Facturapi only on loopback; `GET /metrics` answers only there.
 * (The emulator keeps its own check: it reuses nothing of the app.)
 */
const LOOPBACK_ADDRESS = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/** True for a loopback peer address (`req.socket.remoteAddress`). */
export function isLoopbackAddress(address: string | undefined): boolean {
  return address !== undefined && LOOPBACK_ADDRESS.test(address);
}

/** True for a URL's hostname that names this machine (IPv6 hostnames come in brackets). */
export function isLoopbackHostname(hostname: string): boolean {
  return hostname === 'localhost' || isLoopbackAddress(hostname.replace(/^\[(.*)\]$/, '$1'));
}
