/**
 * Keep-alive connections to Facturapi: uploads reuse one connection, the pool stays bounded under
 * concurrency, idle connections close on our side first, and a malformed answer on a reused
 * connection neither hangs the call nor poisons the next one. The upstream is a raw TCP server
 * (not node:http) so it can send what a broken server or proxy sends, and so it can tell which
 * connection every request came on.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createFacturapiClient, type FacturapiClientOptions } from './client.js';
import { FacturapiUnavailableError } from './errors.js';

const ORG = '65a1c0de0000000000000002';
const UPLOAD = { cer: Buffer.alloc(1200, 0x30), key: Buffer.alloc(1300, 0x31), password: '12345678a' };
const ORGANIZATION = JSON.stringify({ id: ORG, legal: { name: 'Org', legal_name: 'ORG', tax_id: 'EKU9003173C9' }, certificate: { has_certificate: true, serial_number: '30001000000500003416' } });
const DEADLINE_MS = 1_000;

/** What the server writes for request `index`: bytes, and whether to close afterwards. */
type Script = (index: number) => { bytes: string; close?: boolean };

interface RawUpstream {
  url: string;
  /** Connection number (0-based, in accept order) of each request, by request index. */
  requests: number[];
  /** Connections accepted so far, and the most open at once. */
  readonly accepted: number;
  readonly maxOpen: number;
  /** Resolves when connection `n` has been closed (by the client: this server never closes one unasked). */
  closed(n: number): Promise<void>;
  /** Requests waiting for their answer are held until `release` says so (default: answer at once). */
  release?: (waiting: number, answered: number) => boolean;
  close(): Promise<void>;
}

const answer = (body: string, status = '200 OK') => `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: keep-alive\r\n\r\n${body}`;
const normal: Script = () => ({ bytes: answer(ORGANIZATION) });

let upstream: RawUpstream | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

/** A keep-alive HTTP/1.1 server on raw sockets: reads each request (headers + Content-Length body), answers as scripted. */
async function startRawUpstream(script: Script): Promise<RawUpstream> {
  const sockets: net.Socket[] = [];
  const closedAt = new Map<number, Promise<void>>();
  const waiting: { socket: net.Socket; index: number }[] = [];
  let open = 0;
  let maxOpen = 0;
  let answered = 0;
  const server = net.createServer((socket) => {
    const connection = sockets.push(socket) - 1;
    open += 1;
    maxOpen = Math.max(maxOpen, open);
    closedAt.set(connection, new Promise((resolve) => socket.on('close', () => ((open -= 1), resolve()))));
    socket.on('error', () => undefined);
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        const headEnd = buffered.indexOf('\r\n\r\n');
        if (headEnd < 0) return;
        const length = Number(/content-length: *(\d+)/i.exec(buffered.subarray(0, headEnd).toString('latin1'))?.[1] ?? 0);
        if (buffered.length < headEnd + 4 + length) return;
        buffered = buffered.subarray(headEnd + 4 + length);
        waiting.push({ socket, index: raw.requests.push(connection) - 1 });
        flush();
      }
    });
  });
  const flush = () => {
    if (raw.release && !raw.release(waiting.length, answered)) return;
    for (const { socket, index } of waiting.splice(0)) {
      answered += 1;
      const { bytes, close } = script(index);
      if (close) socket.end(bytes);
      else socket.write(bytes);
    }
  };
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as net.AddressInfo;
  const raw: RawUpstream = {
    url: `http://127.0.0.1:${port}/v2`,
    requests: [],
    get accepted() {
      return sockets.length;
    },
    get maxOpen() {
      return maxOpen;
    },
    closed: (n) => closedAt.get(n) ?? Promise.reject(new Error(`no connection ${n}`)),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return raw;
}

function client(url: string, options: Partial<FacturapiClientOptions> = {}) {
  return createFacturapiClient({ baseUrl: url, userKey: 'sk_user_x', timeoutMs: DEADLINE_MS, retry: { baseDelayMs: 1 }, ...options });
}

/** Runs a call and reports its outcome and duration, never throwing. */
async function timed<T>(call: Promise<T>): Promise<{ ok: boolean; error: unknown; ms: number }> {
  const started = performance.now();
  return call.then(
    () => ({ ok: true, error: null, ms: performance.now() - started }),
    (error: unknown) => ({ ok: false, error, ms: performance.now() - started }),
  );
}

describe('Facturapi client connections', () => {
  it('sends consecutive uploads over one kept-alive connection', async () => {
    upstream = await startRawUpstream(normal);
    const facturapi = client(upstream.url);
    for (let i = 0; i < 5; i++) await facturapi.uploadCertificate(ORG, UPLOAD);
    expect(upstream.requests).toEqual([0, 0, 0, 0, 0]);
  });

  it('keeps at most maxSockets connections open however many uploads run at once, and reuses them', async () => {
    upstream = await startRawUpstream(normal);
    const total = 24;
    // Answers are held until four requests wait (or all that remain do): the client has every
    // chance to open more connections than it may.
    upstream.release = (waiting, answered) => waiting >= 4 || answered + waiting >= total;
    const facturapi = client(upstream.url, { maxSockets: 4 });
    const results = await Promise.all(Array.from({ length: total }, () => timed(facturapi.uploadCertificate(ORG, UPLOAD))));
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(upstream.requests).toHaveLength(total);
    expect(upstream.maxOpen).toBe(4);
    expect(upstream.accepted).toBe(4);
  });

  it('closes an idle connection itself after keepAliveMs, and the next call opens a new one', async () => {
    upstream = await startRawUpstream(normal);
    const facturapi = client(upstream.url, { keepAliveMs: 100 });
    await facturapi.getOrganization(ORG);
    const idleSince = performance.now();
    // The server never closes a connection: only the client's idle timeout can end this wait.
    await upstream.closed(0);
    // Generous for 100 ms; Node's default agent would hold it for 5 s, as long as a Node server does.
    expect(performance.now() - idleSince).toBeLessThan(2_500);
    await facturapi.getOrganization(ORG);
    expect(upstream.requests).toEqual([0, 1]);
  });
});

interface MalformedCase {
  name: string;
  /** What request 1 (the second, on the reused connection) gets. */
  malformed: { bytes: string; close?: boolean };
  /** How the call that got it ends. */
  outcome: 'ok' | { reason: FacturapiUnavailableError['reason'] };
}

const CASES: MalformedCase[] = [
  { name: 'malformed JSON in a well-framed 200', malformed: { bytes: answer('{"id":"65a1c0de0000000000000002","legal":{"name":"Trunc') }, outcome: { reason: 'bad_response' } },
  { name: 'a 200 of the wrong shape', malformed: { bytes: answer('{"hello":"world"}') }, outcome: { reason: 'bad_response' } },
  {
    name: 'a body shorter than its Content-Length, the connection left open',
    malformed: { bytes: `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n{"id":"65a1c0de` },
    outcome: { reason: 'timeout' },
  },
  // The first answer is complete and valid; what follows it is an answer nobody asked for.
  { name: 'bytes beyond its Content-Length (a second, unsolicited answer)', malformed: { bytes: answer(ORGANIZATION) + answer('{"id":"stale"}') }, outcome: 'ok' },
  { name: 'bytes that are not HTTP at all', malformed: { bytes: 'SSH-2.0-OpenSSH_9.2\r\n\r\n' }, outcome: 'ok' },
  { name: 'a 502 from a proxy in HTML', malformed: { bytes: answer('<html><body><h1>502 Bad Gateway</h1></body></html>', '502 Bad Gateway') }, outcome: 'ok' },
  { name: 'a 200 then the connection closed', malformed: { bytes: answer(ORGANIZATION), close: true }, outcome: 'ok' },
];

describe('a malformed answer on a reused connection', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s: the call ends within the deadline and the next call works on a fresh connection', async (_name, c) => {
    upstream = await startRawUpstream((index) => (index === 1 ? c.malformed : { bytes: answer(ORGANIZATION) }));
    const facturapi = client(upstream.url);

    await facturapi.uploadCertificate(ORG, UPLOAD);
    const hit = await timed(facturapi.uploadCertificate(ORG, UPLOAD));
    // The malformed answer came on the connection the first upload left in the pool.
    expect(upstream.requests[1]).toBe(upstream.requests[0]);
    expect(hit.ms).toBeLessThan(DEADLINE_MS + 500);
    if (c.outcome === 'ok') expect(hit.error).toBeNull();
    else expect(hit.error).toMatchObject({ name: 'FacturapiUnavailableError', reason: c.outcome.reason });

    const next = await timed(facturapi.uploadCertificate(ORG, UPLOAD));
    expect(next.error).toBeNull();
    expect(next.ms).toBeLessThan(DEADLINE_MS);
    // The call after it did not go out on the connection that carried the malformed answer.
    expect(upstream.requests.at(-1)).not.toBe(upstream.requests[1]);
  });
});
