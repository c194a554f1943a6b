/**
 * Hostile corpus, slow clients (issue 9, item 3): a client that sends the headers of a small form
 * and then nothing, or drips its body a byte at a time, must not hold a socket. Every form route
 * gets a 408 with the usual message and its socket closed about when FORM_BODY_TIMEOUT_MS has
 * passed; a route that never reads the body, and a client that drips its headers, are ended by
 * the server's own request/headers deadlines (the harness builds its server the way server.ts
 * does). Raw sockets: supertest cannot hold a body back.
 */
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/demo-data.js';
import { startTestApp, type TestApp } from './support/app-harness.js';
import { rawExchange, rawSignIn, type BodyWriter, type RawResponse, type RawSession } from '../tools/raw-http.js';
import { FIXTURE_REFERENCE_DATE } from '../fixtures/index.js';
import { TEST_USERS } from './support/users.js';

/** FORM_BODY_TIMEOUT_MS (and UPLOAD_BODY_TIMEOUT_MS) in this test. */
const BOUND_MS = 1_000;
/**
 * How late after the bound a socket may still close: the server checks its request deadlines
 * once a second, writes the answer, and this machine is two cores shared with other test runs.
 * Generous on purpose: the claim is "about the bound", against "never" before the fix.
 */
const SLACK_MS = 3_500;
/** A client still connected this long after its first byte is counted as held open. */
const GIVE_UP_MS = 10_000;
const ORG = DEMO_ORGANIZATION_IDS.validForYears;
const TOO_SLOW = /tardó demasiado en llegar/;

let t: TestApp;
let support: RawSession;

/** A response, or what happened instead: still open when the client gave up, or closed unanswered. */
type Outcome = RawResponse | { status: 'still open' | 'closed without an answer'; elapsedMs: number };

/** Headers of a form POST that promise 200 bytes; what follows is up to `body`. */
function slowForm(path: string, cookie: string | null, body: BodyWriter, extraHeaders: string[] = []): Promise<Outcome> {
  const head = [`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Content-Type: application/x-www-form-urlencoded', 'Content-Length: 200', ...(cookie ? [`Cookie: ${cookie}`] : []), ...extraHeaders];
  const started = performance.now();
  return rawExchange(t.url, head.join('\r\n'), body, { timeoutMs: GIVE_UP_MS }).catch((e: Error) => ({
    status: e.message.startsWith('no complete response') ? ('still open' as const) : ('closed without an answer' as const),
    elapsedMs: performance.now() - started,
  }));
}

/** Sends nothing after the headers. */
const silent: BodyWriter = async () => undefined;

/** One byte of a form every 100 ms, for as long as the socket lasts (longer than the bound). */
const dripping: BodyWriter = async (write, signal) => {
  const bytes = Buffer.from('email=nadie%40example.test&password=x'.padEnd(200, 'x'));
  for (let at = 0; at < bytes.length && !signal.aborted; at++) {
    write(bytes.subarray(at, at + 1));
    await delay(100);
  }
};

/**
 * A raw socket that never finishes its headers: `start` is written at once, then `dripHeader`
 * one byte every 100 ms if given. Resolves when the server closes (status 0 if it answered
 * nothing) or the client gives up.
 */
function slowHeaders(start: string, dripHeader?: string): Promise<Outcome> {
  const { port } = new URL(t.url);
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    const received: Buffer[] = [];
    let open = true;
    const giveUp = setTimeout(() => {
      socket.destroy();
      resolve({ status: 'still open', elapsedMs: GIVE_UP_MS });
    }, GIVE_UP_MS);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      open = false;
      clearTimeout(giveUp);
      const text = Buffer.concat(received).toString('utf8');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, headers: {}, body: text.split('\r\n\r\n')[1] ?? '', bytesSentBeforeResponse: 0, firstByteMs: 0, elapsedMs: performance.now() - started });
    });
    socket.on('connect', async () => {
      socket.write(start);
      for (let at = 0; dripHeader && open; at = (at + 1) % dripHeader.length) {
        socket.write(dripHeader[at]!);
        await delay(100);
      }
    });
  });
}

interface Case {
  name: string;
  send: () => Promise<Outcome>;
}

/** Every small form of the app, as the person allowed to post it. */
const forms = (): { name: string; path: string; cookie: () => string | null }[] => [
  { name: 'login', path: '/login', cookie: () => null },
  { name: 'logout', path: '/logout', cookie: () => support.cookie },
  { name: 'set-password', path: '/account/set-password', cookie: () => null },
  { name: 'people (invite)', path: '/people/invite', cookie: () => support.cookie },
  { name: 'people (password reset)', path: '/people/u_0000000000000000/reset', cookie: () => support.cookie },
  { name: 'radar refresh', path: '/radar/refresh', cookie: () => support.cookie },
  { name: 'certificate removal', path: `/organizations/${ORG}/certificate/remove`, cookie: () => support.cookie },
];

const formCases = (): Case[] =>
  forms().flatMap((f) => [
    { name: `the ${f.name} form with headers and then silence gets a 408 and is let go`, send: () => slowForm(f.path, f.cookie(), silent) },
    { name: `the ${f.name} form dripping a byte at a time gets a 408 and is let go`, send: () => slowForm(f.path, f.cookie(), dripping) },
  ]);

const backstopCases = (): Case[] => [
  {
    // The app answers without reading the body; with keep-alive the socket then waits for the rest
    // of it, and a drip keeps resetting Node's idle (keep-alive) timer.
    name: 'a keep-alive POST dripping to a route that never reads its body is ended by the request deadline',
    send: () => slowForm('/no-such-form', null, dripping, ['Connection: keep-alive']),
  },
  { name: 'a client that drips its headers is ended by the headers deadline', send: () => slowHeaders('GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'X-Slow: aaaaaaaa\r\n') },
  { name: 'a client that stops after the request line is ended by the headers deadline', send: () => slowHeaders('POST /login HTTP/1.1\r\n') },
];

describe('when slow clients hold small forms open', () => {
  const results = new Map<string, Outcome>();
  let crowd: Outcome[] = [];

  beforeAll(async () => {
    t = await startTestApp({
      now: FIXTURE_REFERENCE_DATE,
      env: { FORM_BODY_TIMEOUT_MS: String(BOUND_MS), UPLOAD_BODY_TIMEOUT_MS: String(BOUND_MS), LOGIN_MAX_ATTEMPTS_PER_IP: '100000' },
    });
    support = await rawSignIn(t.url, TEST_USERS.support.email, TEST_USERS.support.password);
    // All at once: each has its own deadline, and the claim is that none holds the others up.
    const cases = [...formCases(), ...backstopCases()];
    const outcomes = await Promise.all(cases.map((c) => c.send()));
    cases.forEach((c, i) => results.set(c.name, outcomes[i]!));
    // The reproduction: 50 silent and 50 dripping logins at the same time.
    crowd = await Promise.all([...Array.from({ length: 50 }, () => slowForm('/login', null, silent)), ...Array.from({ length: 50 }, () => slowForm('/login', null, dripping))]);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  describe('to each form route', () => {
    it.each(formCases().map((c) => [c.name] as const))('%s', (name) => {
      const res = results.get(name)!;
      expect({ status: res.status, elapsedMs: Math.round(res.elapsedMs) }).toEqual({ status: 408, elapsedMs: expect.toSatisfy((ms: number) => ms >= BOUND_MS - 50 && ms < BOUND_MS + SLACK_MS) });
      expect((res as RawResponse).body).toMatch(TOO_SLOW);
    });
  });

  describe('past the form parser', () => {
    it.each(backstopCases().map((c) => [c.name] as const))('%s', (name) => {
      const res = results.get(name)!;
      expect(res.status).not.toBe('still open');
      // Request deadline = the longest body deadline + 2 s; headers deadline = the form deadline.
      expect(res.elapsedMs).toBeLessThan(BOUND_MS + 2_000 + SLACK_MS);
    });

    it('then a client that drips its headers is told why before the socket closes', () => {
      const res = results.get('a client that drips its headers is ended by the headers deadline')!;
      expect(res.status).toBe(408);
      expect((res as RawResponse).body).toMatch(TOO_SLOW);
    });
  });

  it('then 50 silent and 50 dripping logins at once are all answered 408 and let go within the bound', () => {
    const summary = { answered408: crowd.filter((r) => r.status === 408).length, stillOpen: crowd.filter((r) => r.status === 'still open').length };
    expect(summary).toEqual({ answered408: 100, stillOpen: 0 });
    expect(Math.max(...crowd.map((r) => r.elapsedMs))).toBeLessThan(BOUND_MS + SLACK_MS);
  });

  it('then a normal login still works', async () => {
    await expect(rawSignIn(t.url, TEST_USERS.admin.email, TEST_USERS.admin.password)).resolves.toMatchObject({ csrf: expect.any(String) });
  });
});
