/**
 * The benchmark's upstream: the least a Facturapi stand-in can do for `PUT
 * /v2/organizations/{id}/certificate`. It checks the Bearer key, reads the whole multipart body,
 * hashes it (SHA-256) and answers 200 with an Organization-shaped JSON carrying the certificate
 * fields it was started with (it parses nothing: the bench sends one CSD, whose facts it knows).
 * Unlike the emulator it runs no certificate check, so "direct" against it measures the network
 * and node:http, not a second copy of the app's work on the same two cores.
 *
 * It also answers `GET /v2/organizations/{id}` (the read the app makes before sending, issue 10) with
 * the organization before the upload: the same RFC, no certificate yet, after the same latency.
 *
 * Its own process: `node --import tsx tools/upstream-stub.ts --port P [--tls-port Q --tls-cert F
 * --tls-key F] --key sk_user_… --rfc … --serial … --expires ISO`. It prints one JSON line with
 * its ports when listening. Control (plain port, loopback only):
 *   POST /_stub/latency?ms=50   answer every later upload after a fixed delay (0 = at once)
 *   GET  /_stub/stats           {"uploads": n, "bytes": n} since start
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

export interface StubOptions {
  userKey: string;
  /** What the answer says about the uploaded certificate. */
  certificate: { rfc: string; serialNumber: string; expiresAt: string };
}

const UPLOAD_PATH = /^\/v2\/organizations\/([0-9a-f]{24})\/certificate$/;
const ORGANIZATION_PATH = /^\/v2\/organizations\/([0-9a-f]{24})$/;

/** The request handler shared by the plain and the TLS server (and their latency). */
export function createStubHandler(options: StubOptions): http.RequestListener {
  const auth = `Bearer ${options.userKey}`;
  let latencyMs = 0;
  let uploads = 0;
  let bytes = 0;
  return (req, res) => {
    const url = req.url ?? '';
    if (url.startsWith('/_stub/')) return control(req, res);
    const read = req.method === 'GET' ? ORGANIZATION_PATH.exec(url) : null;
    if (read) {
      req.resume();
      if (req.headers.authorization !== auth) return send(res, 401, { message: 'Not authenticated', ok: false });
      const answer = () => send(res, 200, organization(read[1]!, options.certificate, false));
      if (latencyMs > 0) setTimeout(answer, latencyMs);
      else answer();
      return;
    }
    const match = req.method === 'PUT' ? UPLOAD_PATH.exec(url) : null;
    if (!match) return send(res, 404, { ok: false, message: 'not found', code: 'not_found' });
    if (req.headers.authorization !== auth) {
      req.resume();
      return send(res, 401, { message: 'Not authenticated', ok: false });
    }
    if (!/^multipart\/form-data; *boundary=/i.test(req.headers['content-type'] ?? '')) {
      req.resume();
      return send(res, 400, { ok: false, message: 'multipart/form-data expected', code: 'invalid_request' });
    }
    const hash = createHash('sha256');
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      hash.update(chunk);
    });
    req.on('end', () => {
      uploads += 1;
      bytes += size;
      const digest = hash.digest('hex');
      const answer = () => send(res, 200, organization(match[1]!, options.certificate), { 'X-Body-Sha256': digest });
      if (latencyMs > 0) setTimeout(answer, latencyMs);
      else answer();
    });
  };

  function control(req: http.IncomingMessage, res: http.ServerResponse): void {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://stub');
    if (req.method === 'POST' && url.pathname === '/_stub/latency') {
      const ms = Number(url.searchParams.get('ms'));
      if (!Number.isInteger(ms) || ms < 0 || ms > 60_000) return send(res, 400, { message: 'ms: an integer 0..60000' });
      latencyMs = ms;
      return send(res, 200, { latencyMs });
    }
    if (req.method === 'GET' && url.pathname === '/_stub/stats') return send(res, 200, { uploads, bytes });
    send(res, 404, { message: 'not found' });
  }
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(json), ...headers });
  res.end(json);
}

/** Facturapi's Organization after a certificate upload, or before it (the fields the app reads, and a few more). */
function organization(id: string, certificate: StubOptions['certificate'], installed = true) {
  return {
    id,
    created_at: '2026-01-01T00:00:00.000Z',
    timezone: 'America/Mexico_City',
    is_production_ready: true,
    pending_steps: [],
    legal: { name: 'Organización de prueba', legal_name: 'ORGANIZACION DE PRUEBA', tax_id: certificate.rfc, tax_system: '601', website: '', phone: '' },
    certificate: installed
      ? { has_certificate: true, updated_at: new Date().toISOString(), expires_at: certificate.expiresAt, serial_number: certificate.serialNumber }
      : { has_certificate: false, updated_at: null, expires_at: null, serial_number: null },
    fiel: { has_certificate: false, updated_at: null, expires_at: null, serial_number: null },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'tls-port': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      key: { type: 'string' },
      rfc: { type: 'string', default: 'XAXX010101000' },
      serial: { type: 'string', default: '30001000000500003416' },
      expires: { type: 'string', default: '2030-01-01T00:00:00.000Z' },
    },
  });
  if (!values.key) throw new Error('--key is required');
  const handler = createStubHandler({ userKey: values.key, certificate: { rfc: values.rfc!, serialNumber: values.serial!, expiresAt: values.expires! } });
  const listen = (server: http.Server, port: string) =>
    new Promise<number>((resolve) => server.listen(Number(port), '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
  const plain = http.createServer(handler);
  const ports: { port: number; tlsPort?: number } = { port: await listen(plain, values.port!) };
  if (values['tls-port'] !== undefined) {
    const secure = https.createServer({ cert: fs.readFileSync(values['tls-cert']!), key: fs.readFileSync(values['tls-key']!) }, handler);
    ports.tlsPort = await listen(secure, values['tls-port']);
  }
  process.stdout.write(`${JSON.stringify({ msg: 'upstream stub listening', ...ports })}\n`);
  process.on('SIGTERM', () => process.exit(0));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`upstream stub: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
