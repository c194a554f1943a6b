/**
 * HTTP without supertest, for what it cannot express (broken framing, chunked or dripping bodies,
 * raw bytes in paths and names) and for load: a raw-socket exchange, a multipart body builder, a
 * cookie-and-CSRF sign-in over plain node:http, and a keep-alive upload poster. Loopback only.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

/** A cookie-carrying session as a browser would hold it. */
export interface RawSession {
  cookie: string;
  csrf: string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Bytes of the request this client had written when the response's first byte arrived. */
  bytesSentBeforeResponse: number;
  /** From connecting to the response's first byte. */
  firstByteMs: number;
  elapsedMs: number;
}

/** One part of a multipart body. */
export interface Part {
  name: string;
  data: Buffer | string;
  filename?: string;
  contentType?: string;
  /** Extra raw header lines for this part. */
  headers?: string[];
}

/** Builds a multipart/form-data body (CRLF framing, closing boundary unless `unterminated`). */
export function multipartBody(boundary: string, parts: Part[], options: { unterminated?: boolean } = {}): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename !== undefined ? `; filename="${part.filename}"` : ''}`;
    const lines = [`--${boundary}`, `Content-Disposition: ${disposition}`];
    if (part.contentType) lines.push(`Content-Type: ${part.contentType}`);
    lines.push(...(part.headers ?? []));
    chunks.push(Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), Buffer.isBuffer(part.data) ? part.data : Buffer.from(part.data, 'utf8'), Buffer.from('\r\n'));
  }
  if (!options.unterminated) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

/** What to write after the head: all at once, or paced by the caller (a drip). */
export type BodyWriter = Buffer | ((write: (chunk: Buffer) => boolean, signal: AbortSignal, drained: () => Promise<void>) => Promise<void>);

/**
 * Writes `head` (request line + headers, without the blank line) and `body` on a fresh socket and
 * reads the response until the server closes or `timeoutMs` passes (then it fails: a hang).
 * Always sends `Connection: close` unless the head has a Connection header.
 */
export function rawExchange(url: string, head: string, body: BodyWriter = Buffer.alloc(0), options: { timeoutMs?: number } = {}): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const received: Buffer[] = [];
    let sent = 0;
    let sentAtFirstByte = -1;
    let firstByteAt = 0;
    const stopWriting = new AbortController();
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete response within ${options.timeoutMs ?? 10_000} ms`));
    }, options.timeoutMs ?? 10_000);
    const write = (chunk: Buffer) => {
      if (socket.destroyed || !socket.writable) return false;
      sent += chunk.length;
      return socket.write(chunk);
    };
    socket.on('data', (chunk: Buffer) => {
      if (sentAtFirstByte < 0) {
        sentAtFirstByte = sent;
        firstByteAt = performance.now();
      }
      received.push(chunk);
    });
    // A server that stops reading may reset the connection; the response may still have arrived.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      stopWriting.abort();
      const text = Buffer.concat(received).toString('latin1');
      const match = /^HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n([\s\S]*?)\r\n\r\n([\s\S]*)$/.exec(text);
      if (!match) return reject(new Error(`no HTTP response (got ${JSON.stringify(text.slice(0, 80))})`));
      const headers: Record<string, string> = {};
      for (const line of match[2]!.split('\r\n')) {
        const at = line.indexOf(':');
        if (at > 0) headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
      }
      let rawBody: Buffer = Buffer.from(match[3]!, 'latin1');
      if (/chunked/i.test(headers['transfer-encoding'] ?? '')) rawBody = dechunk(rawBody);
      resolve({ status: Number(match[1]), headers, body: rawBody.toString('utf8'), bytesSentBeforeResponse: sentAtFirstByte < 0 ? sent : sentAtFirstByte, firstByteMs: firstByteAt - started, elapsedMs: performance.now() - started });
    });
    socket.on('connect', () => {
      const connection = /^connection:/im.test(head) ? '' : 'Connection: close\r\n';
      write(Buffer.from(`${head.replace(/\r\n$/, '')}\r\n${connection}\r\n`, 'latin1'));
      if (Buffer.isBuffer(body)) {
        if (body.length > 0) write(body);
        return;
      }
      // Resolves when the socket's buffer has drained, or when the exchange is over.
      const drained = () =>
        new Promise<void>((resolve) => {
          if (socket.destroyed) return resolve();
          socket.once('drain', resolve);
          socket.once('close', resolve);
        });
      body(write, stopWriting.signal, drained).catch(() => undefined);
    });
  });
}

function dechunk(data: Buffer): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  while (at < data.length) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (!size) break;
    out.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(out);
}

/**
 * One request over node:http, or node:https for an https URL (keep-alive agent optional; an
 * https.Agent carries the CA to trust); resolves with status, headers, body.
 */
export function httpRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string | number>; body?: Buffer | string; agent?: http.Agent },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const request = url.startsWith('https:') ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, agent: options.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const cookieOf = (headers: http.IncomingHttpHeaders) => (headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');

/** Signs in through the login form (CSRF token from the page) and returns the session. */
export async function rawSignIn(baseUrl: string, email: string, password: string, extraHeaders: Record<string, string> = {}): Promise<RawSession> {
  const page = await httpRequest(`${baseUrl}/login`, { headers: extraHeaders });
  const form = new URLSearchParams({ _csrf: csrfOf(page.body), email, password }).toString();
  const login = await httpRequest(`${baseUrl}/login`, {
    method: 'POST',
    headers: { ...extraHeaders, Cookie: cookieOf(page.headers), 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(form) },
    body: form,
  });
  if (login.status !== 303) throw new Error(`login as ${email} failed with ${login.status}`);
  const cookie = cookieOf(login.headers);
  const organizations = await httpRequest(`${baseUrl}/organizations`, { headers: { ...extraHeaders, Cookie: cookie } });
  const csrf = csrfOf(organizations.body);
  if (!csrf) throw new Error('no CSRF token on /organizations');
  return { cookie, csrf };
}

/** The upload form's multipart body for a session, as a browser sends it. */
export function uploadBody(session: RawSession, files: { cer: Buffer; key: Buffer; password: string }, boundary = 'csdRelayBoundary7MA4YWxkTrZu0gW'): { body: Buffer; contentType: string } {
  const body = multipartBody(boundary, [
    { name: '_csrf', data: session.csrf },
    { name: 'cer', data: files.cer, filename: 'CSD.cer', contentType: 'application/x-x509-ca-cert' },
    { name: 'key', data: files.key, filename: 'CSD.key', contentType: 'application/octet-stream' },
    { name: 'password', data: files.password },
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}
