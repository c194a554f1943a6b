/**
 * The hostile-input corpus (issue 6, part 2): malformed and hostile requests to the upload and
 * login routes, each answered with a 4xx and a message (never a 500, never a hang), with memory
 * bounded, nothing written to disk, and a normal upload still working afterwards. Raw sockets
 * where supertest cannot express the request.
 */
import fs from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/index.js';
import { handleClientErrors } from '../src/web/client-error.js';
import { MAX_PASSWORD_LENGTH } from '../src/uploads/upload.limits.js';
import { startTestApp, type TestApp } from './support/app-harness.js';
import { changedFiles, snapshotFiles } from './support/disk-snapshot.js';
import { multipartBody, rawExchange, rawSignIn, uploadBody, httpRequest, type Part, type RawResponse, type RawSession, type BodyWriter } from '../tools/raw-http.js';
import { FIXTURE_REFERENCE_DATE, standardFixtures, toPem, type StandardFixtures } from '../fixtures/index.js';
import { liveMemory } from './support/memory.js';
import { TEST_USERS } from './support/users.js';

const ORG = DEMO_ORGANIZATION_IDS.noCertificate;
const BODY_TIMEOUT_MS = 1_000;
const B = 'hostileBoundary42';

let t: TestApp;
let support: RawSession;
let anonymous: RawSession;
let fx: StandardFixtures;

const M = {
  malformed: /El formulario llegó incompleto o dañado/,
  unexpected: /campo inesperado/,
  tooManyFiles: /Envía solo dos archivos/,
  tooManyFields: /campos de más/,
  empty: /El archivo está vacío/,
  cerRequired: /Elige el archivo \.cer del CSD/,
  keyRequired: /Elige el archivo \.key del CSD/,
  passwordRequired: /Escribe la contraseña de la llave privada/,
  passwordTooLong: /La contraseña es demasiado larga/,
  bodyTooLarge: /El envío es demasiado grande/,
  fileTooLarge: /El archivo es demasiado grande/,
  tooSlow: /tardó demasiado en llegar/,
  csrf: /El formulario expiró o no es válido/,
  orgNotFound: /No encontramos esa organización/,
  notFound: /No encontramos esa página/,
  badRequest: /La solicitud no es válida/,
  formTooLarge: /más grande de lo que este formulario acepta/,
  notCer: /no es un certificado \(\.cer\) válido/,
  notKey: /no es una llave privada \(\.key\) válida/,
  wrongPassword: /La contraseña no abre la llave privada/,
  cerExtension: /El certificado debe ser un archivo \.cer/,
  loginFailed: /El correo o la contraseña no son correctos/,
};

// ---- request builders ---------------------------------------------------------------------

const uploadPath = (org: string = ORG) => `/organizations/${org}/certificate`;

/** Sends a multipart upload as the signed-in support user, with any framing. */
function upload(body: BodyWriter, options: { path?: string; contentType?: string | null; length?: number | 'none'; extraHeaders?: string[]; timeoutMs?: number } = {}): Promise<RawResponse> {
  const declared = typeof options.length === 'number';
  const headers = [`POST ${options.path ?? uploadPath()} HTTP/1.1`, `Host: 127.0.0.1`, `Cookie: ${support.cookie}`];
  if (options.contentType !== null) headers.push(`Content-Type: ${options.contentType ?? `multipart/form-data; boundary=${B}`}`);
  if (declared || (Buffer.isBuffer(body) && options.length !== 'none')) headers.push(`Content-Length: ${declared ? options.length : (body as Buffer).length}`);
  else headers.push('Transfer-Encoding: chunked');
  headers.push(...(options.extraHeaders ?? []));
  const payload = Buffer.isBuffer(body) && options.length === 'none' ? chunked(body) : body;
  return rawExchange(t.url, headers.join('\r\n'), payload, { timeoutMs: options.timeoutMs ?? 10_000 });
}

/** A whole body in chunked framing (one chunk per 16 KiB). */
function chunked(body: Buffer): Buffer {
  const out: Buffer[] = [];
  for (let at = 0; at < body.length; at += 16_384) {
    const piece = body.subarray(at, at + 16_384);
    out.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'));
  }
  out.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(out);
}

/** A chunked body that streams `total` bytes of a never-ending file as fast as the socket allows. */
function endlessChunkedFile(total: number): BodyWriter {
  return async (write, signal) => {
    const head = Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="cer"; filename="big.cer"\r\n\r\n`);
    write(Buffer.concat([Buffer.from(`${head.length.toString(16)}\r\n`), head, Buffer.from('\r\n')]));
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    const framed = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
    for (let sent = 0; sent < total && !signal.aborted; sent += chunk.length) {
      if (!write(framed)) await delay(1);
    }
  };
}

/** Sends a body a few bytes at a time, paced by its own timer, for longer than the deadline. */
function drip(body: Buffer, everyMs: number): BodyWriter {
  return async (write, signal) => {
    for (let at = 0; at < body.length && !signal.aborted; at += 8) {
      write(body.subarray(at, at + 8));
      await delay(everyMs);
    }
  };
}

/** The normal form parts with some overridden or appended. */
function formParts(overrides: Partial<Record<'_csrf' | 'cer' | 'key' | 'password', Part | null>> = {}, extra: Part[] = []): Part[] {
  const base: Record<string, Part> = {
    _csrf: { name: '_csrf', data: support.csrf },
    cer: { name: 'cer', data: fx.validCsd.cer, filename: 'CSD.cer', contentType: 'application/x-x509-ca-cert' },
    key: { name: 'key', data: fx.validCsd.key, filename: 'CSD.key', contentType: 'application/octet-stream' },
    password: { name: 'password', data: fx.validCsd.password },
  };
  const parts: Part[] = [];
  for (const name of ['_csrf', 'cer', 'key', 'password'] as const) {
    const override = overrides[name];
    if (override === null) continue;
    parts.push(override ?? base[name]!);
  }
  return [...parts, ...extra];
}

/** The CSRF part alone, as a browser sends it first. */
const tokenPart = () => multipartBody(B, [{ name: '_csrf', data: support.csrf }], { unterminated: true });
const form = (overrides: Parameters<typeof formParts>[0] = {}, extra: Part[] = []) => multipartBody(B, formParts(overrides, extra));
const cerPart = (data: Buffer, filename = 'CSD.cer'): Part => ({ name: 'cer', data, filename });
const keyPart = (data: Buffer, filename = 'CSD.key'): Part => ({ name: 'key', data, filename });
const passwordPart = (data: Buffer | string): Part => ({ name: 'password', data });
const randomBytes = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 131 + seed * 17 + ((i * i) % 251)) & 0xff));

/** A login POST (form-encoded unless told otherwise) from the anonymous session. */
function login(body: Buffer | string, options: { contentType?: string; csrf?: string | null; length?: 'none'; cookie?: string | null } = {}): Promise<RawResponse> {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1');
  const headers = [`POST /login HTTP/1.1`, `Host: 127.0.0.1`, `Content-Type: ${options.contentType ?? 'application/x-www-form-urlencoded'}`];
  if (options.cookie !== null) headers.push(`Cookie: ${options.cookie ?? anonymous.cookie}`);
  if (options.length === 'none') headers.push('Transfer-Encoding: chunked');
  else headers.push(`Content-Length: ${bytes.length}`);
  return rawExchange(t.url, headers.join('\r\n'), options.length === 'none' ? chunked(bytes) : bytes);
}

const loginForm = (fields: [string, string][], csrf: string | null = anonymous.csrf) => {
  const pairs = csrf === null ? fields : [['_csrf', csrf] as [string, string], ...fields];
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
};

// ---- the corpus ---------------------------------------------------------------------------

interface HostileCase {
  name: string;
  send: () => Promise<RawResponse>;
  status: number;
  message: RegExp;
}

const uploadCases = (): HostileCase[] => [
  { name: 'random bytes as the .cer are refused by the local check', send: () => upload(form({ cer: cerPart(randomBytes(1500, 1)) })), status: 422, message: M.notCer },
  { name: 'random bytes as the .key are refused by the local check', send: () => upload(form({ key: keyPart(randomBytes(1300, 2)) })), status: 422, message: M.notKey },
  { name: 'a truncated DER .cer is refused by the local check', send: () => upload(form({ cer: cerPart(fx.validCsd.cer.subarray(0, 200)) })), status: 422, message: M.notCer },
  { name: 'a truncated DER .key is refused by the local check', send: () => upload(form({ key: keyPart(fx.validCsd.key.subarray(0, 300)) })), status: 422, message: M.notKey },
  { name: 'a .cer cut to one byte is refused by the local check', send: () => upload(form({ cer: cerPart(Buffer.from([0x30])) })), status: 422, message: M.notCer },
  { name: 'a PEM .cer with garbage inside is refused by the local check', send: () => upload(form({ cer: cerPart(Buffer.from('-----BEGIN CERTIFICATE-----\n!!!!notbase64!!!!\n-----END CERTIFICATE-----\n'), 'a.pem') })), status: 422, message: M.notCer },
  // Swapped files are used as meant (test/upload-truth.test.ts); the .key in both fields is not.
  { name: 'the .key in both fields is refused by the local check', send: () => upload(form({ cer: cerPart(fx.validCsd.key) })), status: 422, message: /En el campo del certificado elegiste una llave privada/ },
  { name: 'a zero-byte .cer is an empty-file error', send: () => upload(form({ cer: cerPart(Buffer.alloc(0)) })), status: 400, message: M.empty },
  { name: 'a zero-byte .key is an empty-file error', send: () => upload(form({ key: keyPart(Buffer.alloc(0)) })), status: 400, message: M.empty },
  { name: 'two zero-byte files are an empty-file error', send: () => upload(form({ cer: cerPart(Buffer.alloc(0)), key: keyPart(Buffer.alloc(0)) })), status: 400, message: M.empty },
  { name: 'a .cer over the file limit with Content-Length is a 413', send: () => upload(form({ cer: cerPart(Buffer.alloc(70 * 1024, 1)) })), status: 413, message: M.fileTooLarge },
  { name: 'a declared 50 MB body is refused before it is read', send: () => upload(Buffer.from(`--${B}\r\n`), { length: 50 * 1024 * 1024 }), status: 413, message: M.bodyTooLarge },
  { name: 'a 20 MB chunked body without Content-Length is cut off at the limit', send: () => upload(endlessChunkedFile(20 * 1024 * 1024)), status: 413, message: M.bodyTooLarge },
  { name: 'an over-limit file in a chunked body is refused', send: () => upload(form({ key: keyPart(Buffer.alloc(300 * 1024, 2)) }), { length: 'none' }), status: 413, message: M.bodyTooLarge },
  { name: 'a small malformed chunked body is a malformed-form error', send: () => upload(Buffer.concat([tokenPart(), Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="cer"; filename="a.cer"\r\n\r\nabc`)]), { length: 'none' }), status: 400, message: M.malformed },
  { name: 'the .cer under a wrong field name is an unexpected field', send: () => upload(form({ cer: { name: 'certificate', data: fx.validCsd.cer, filename: 'CSD.cer' } })), status: 400, message: M.unexpected },
  { name: 'the password under a wrong field name is an unexpected field', send: () => upload(form({ password: { name: 'passwd', data: 'x' } })), status: 400, message: M.unexpected },
  { name: 'an extra text field is refused', send: () => upload(form({ password: null }, [{ name: 'rfc', data: 'EPR010101AB1' }, passwordPart(fx.validCsd.password)])), status: 400, message: M.unexpected },
  { name: 'a duplicated password field is refused', send: () => upload(form({}, [passwordPart('otra')])), status: 400, message: M.tooManyFields },
  { name: 'a duplicated .cer file is refused', send: () => upload(form({}, [cerPart(fx.validCsd.cer, 'otro.cer')])), status: 400, message: M.tooManyFiles },
  { name: 'a third file under another name is refused', send: () => upload(form({}, [{ name: 'pfx', data: Buffer.from('x'), filename: 'a.pfx' }])), status: 400, message: M.tooManyFiles },
  { name: 'a body without the .cer is a missing-file error', send: () => upload(form({ cer: null })), status: 400, message: M.cerRequired },
  { name: 'a body without the .key is a missing-file error', send: () => upload(form({ key: null })), status: 400, message: M.keyRequired },
  { name: 'a body without the password is a missing-password error', send: () => upload(form({ password: null })), status: 400, message: M.passwordRequired },
  // Issue 9 item 16: when the token cannot be read, the form error is not shown (that would act in the person's name): only the 403.
  { name: 'a multipart type without a boundary has no readable token and is refused', send: () => upload(form(), { contentType: 'multipart/form-data' }), status: 403, message: M.csrf },
  { name: 'a body framed with another boundary has no readable token and is refused', send: () => upload(multipartBody('otherBoundary', formParts())), status: 403, message: M.csrf },
  { name: 'a body whose closing boundary never comes is a malformed form', send: () => upload(multipartBody(B, formParts(), { unterminated: true })), status: 400, message: M.malformed },
  { name: 'a body with LF-only line endings has no readable token and is refused', send: () => upload(Buffer.from(form().toString('latin1').replace(/\r\n/g, '\n'), 'latin1')), status: 403, message: M.csrf },
  { name: 'a plain-text body carries no CSRF token and is refused', send: () => upload(Buffer.from('cer=1&key=2'), { contentType: 'text/plain' }), status: 403, message: M.csrf },
  { name: 'a JSON body carries no CSRF token and is refused', send: () => upload(Buffer.from(JSON.stringify({ cer: 'AAAA', key: 'BBBB', password: 'x' })), { contentType: 'application/json' }), status: 403, message: M.csrf },
  { name: 'a url-encoded body carries no CSRF token and is refused', send: () => upload(Buffer.from('password=x&_csrf=y'), { contentType: 'application/x-www-form-urlencoded' }), status: 403, message: M.csrf },
  { name: 'a body without a Content-Type carries no CSRF token and is refused', send: () => upload(form(), { contentType: null }), status: 403, message: M.csrf },
  { name: 'a multipart/mixed body has no readable token and is refused', send: () => upload(form(), { contentType: `multipart/mixed; boundary=${B}` }), status: 403, message: M.csrf },
  { name: 'a 10 KB password is refused as too long', send: () => upload(form({ password: passwordPart('p'.repeat(10 * 1024)) })), status: 400, message: M.passwordTooLong },
  { name: 'a password just over the length limit is refused as too long', send: () => upload(form({ password: passwordPart('p'.repeat(MAX_PASSWORD_LENGTH + 1)) })), status: 400, message: M.passwordTooLong },
  { name: 'a password of non-UTF-8 bytes does not open the key', send: () => upload(form({ password: passwordPart(Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1])) })), status: 422, message: M.wrongPassword },
  { name: 'a password with NUL bytes inside does not open the key', send: () => upload(form({ password: passwordPart(`${fx.validCsd.password.slice(0, 3)}\u0000${fx.validCsd.password.slice(3)}`) })), status: 422, message: M.wrongPassword },
  { name: 'a file name with NUL bytes is a malformed form', send: () => upload(form({ cer: cerPart(randomBytes(900, 3), 'a\u0000b.cer') })), status: 400, message: M.malformed },
  { name: 'a path-traversal file name is never used as a path', send: () => upload(form({ cer: cerPart(randomBytes(900, 4), '../../../../etc/passwd.cer'), key: keyPart(randomBytes(900, 5), '..\\..\\windows\\win.key') })), status: 422, message: M.notCer },
  { name: 'a 300-character file name is handled', send: () => upload(form({ cer: cerPart(randomBytes(900, 6), `${'n'.repeat(296)}.cer`) })), status: 422, message: M.notCer },
  { name: 'a file name of non-UTF-8 bytes with the wrong extension is refused', send: () => upload(form({ cer: { name: 'cer', data: fx.validCsd.cer, filename: '\u00ff\u00fe\u00c3.bin' } })), status: 400, message: M.cerExtension },
  { name: 'a field name of non-UTF-8 bytes is an unexpected field', send: () => upload(form({ password: null }, [{ name: '\u00ff\u00fe', data: 'x' }])), status: 400, message: M.unexpected },
  { name: 'a field name longer than the limit is a malformed form', send: () => upload(form({ password: { name: 'p'.repeat(200), data: 'x' } })), status: 400, message: M.malformed },
  { name: 'a part with too many header lines is read no further than its limit', send: () => upload(form({ password: { name: 'password', data: 'x', headers: Array.from({ length: 30 }, (_, i) => `X-H${i}: v`) } })), status: 422, message: M.wrongPassword },
  { name: 'many tiny parts are refused', send: () => upload(multipartBody(B, [{ name: '_csrf', data: support.csrf }, ...Array.from({ length: 50 }, (_, i) => ({ name: `f${i}`, data: 'x' }))])), status: 400, message: M.tooManyFields },
  { name: 'a Content-Length shorter than the body gets the form error, not the parser\u2019s', send: () => upload(form(), { length: tokenPart().length + 60 }), status: 400, message: M.malformed },
  { name: 'bytes that are not HTTP after the headers get a 400 with a message', send: () => rawExchange(t.url, `POST ${uploadPath()} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked`, Buffer.from('zz\r\n')), status: 400, message: /La solicitud no es válida/ },
  { name: 'an upload without the CSRF token is refused', send: () => upload(form({ _csrf: null })), status: 403, message: M.csrf },
  { name: 'an upload with a forged CSRF token is refused', send: () => upload(form({ _csrf: { name: '_csrf', data: 'x'.repeat(64) } })), status: 403, message: M.csrf },
  { name: 'an organization id that is not 24-hex is not found', send: () => upload(form(), { path: uploadPath('abc') }), status: 404, message: M.orgNotFound },
  { name: 'a 24-character id that is not hex is not found', send: () => upload(form(), { path: uploadPath('zzzzzzzzzzzzzzzzzzzzzzzz') }), status: 404, message: M.orgNotFound },
  { name: 'an encoded path-traversal organization id is not found', send: () => upload(form(), { path: uploadPath('..%2F..%2Fadmin') }), status: 404, message: M.orgNotFound },
  { name: 'an organization id with an encoded NUL is not found', send: () => upload(form(), { path: uploadPath(`${ORG}%00`) }), status: 404, message: M.orgNotFound },
  { name: 'a literal path traversal out of the organization path is not found', send: () => upload(form(), { path: '/organizations/../../etc/passwd/certificate' }), status: 404, message: M.notFound },
  { name: 'an organization id with a query string smuggled in is not found', send: () => upload(form(), { path: `/organizations/${ORG}%3Fx=1/certificate` }), status: 404, message: M.orgNotFound },
  { name: 'a slow client that drips its body gets a 408 and is let go', send: () => upload(drip(form(), 50), { length: form().length }), status: 408, message: M.tooSlow },
  { name: 'headers promising a body that never comes get a 408', send: () => upload(async () => undefined, {}), status: 408, message: M.tooSlow },
];

const loginCases = (): HostileCase[] => [
  { name: 'a login without a CSRF token is refused', send: () => login(loginForm([['email', 'a@b.c'], ['password', 'x']], null)), status: 403, message: M.csrf },
  { name: 'a login with a forged CSRF token is refused', send: () => login(loginForm([['email', 'a@b.c'], ['password', 'x']], 'forged-token')), status: 403, message: M.csrf },
  { name: 'a login without any session cookie is refused', send: () => login(loginForm([['email', 'a@b.c'], ['password', 'x']]), { cookie: null }), status: 403, message: M.csrf },
  { name: 'a login with a 10 KB password is refused as too large', send: () => login(loginForm([['email', 'a@b.c'], ['password', 'p'.repeat(10 * 1024)]])), status: 413, message: M.formTooLarge },
  { name: 'a login with a 300-character e-mail is a bad request', send: () => login(loginForm([['email', `${'e'.repeat(290)}@example.test`], ['password', 'x']])), status: 400, message: M.badRequest },
  { name: 'a login with duplicated e-mail fields is a bad request', send: () => login(loginForm([['email', 'a@b.c'], ['email', 'd@e.f'], ['password', 'x']])), status: 400, message: M.badRequest },
  { name: 'a login with duplicated password fields is a bad request', send: () => login(loginForm([['email', 'a@b.c'], ['password', 'x'], ['password', 'y']])), status: 400, message: M.badRequest },
  { name: 'a login with NUL bytes in the e-mail fails like any wrong login', send: () => login(loginForm([['email', `${TEST_USERS.support.email}\u0000`], ['password', TEST_USERS.support.password]])), status: 401, message: M.loginFailed },
  { name: 'a login with non-UTF-8 bytes fails like any wrong login', send: () => login(`_csrf=${encodeURIComponent(anonymous.csrf)}&email=%FF%FE%C3%28&password=%A0%A1`), status: 401, message: M.loginFailed },
  { name: 'a login sent as JSON is refused for its missing token', send: () => login(JSON.stringify({ _csrf: anonymous.csrf, email: 'a@b.c', password: 'x' }), { contentType: 'application/json' }), status: 403, message: M.csrf },
  { name: 'a login sent as multipart is refused for its missing token', send: () => login(multipartBody(B, [{ name: '_csrf', data: anonymous.csrf }, { name: 'email', data: 'a@b.c' }]), { contentType: `multipart/form-data; boundary=${B}` }), status: 403, message: M.csrf },
  { name: 'a chunked 1 MB login body is refused as too large', send: () => login(loginForm([['email', 'a@b.c'], ['password', 'p'.repeat(1024 * 1024)]]), { length: 'none' }), status: 413, message: M.formTooLarge },
  { name: 'a login with too many fields is refused', send: () => login(loginForm(Array.from({ length: 20 }, (_, i) => [`f${i}`, 'x'] as [string, string]))), status: 413, message: M.formTooLarge },
  { name: 'a login in an unsupported charset is refused', send: () => login(loginForm([['email', 'a@b.c']]), { contentType: 'application/x-www-form-urlencoded; charset=latin1' }), status: 415, message: M.badRequest },
];

// ---- the run ------------------------------------------------------------------------------

/** Bytes; the corpus sends ~80 MB in total, none of which may stay in memory. */
const MEMORY_BOUND = 64 * 1024 * 1024;

describe('when hostile or malformed requests reach the upload and login routes', () => {
  let memoryBefore: { heapUsed: number; rss: number };
  let filesBefore: Map<string, string>;
  const results = new Map<string, RawResponse>();
  let writes = 0;

  beforeAll(async () => {
    fx = standardFixtures(FIXTURE_REFERENCE_DATE);
    t = await startTestApp({
      env: { UPLOAD_BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS), UPLOADS_PER_USER_PER_HOUR: '100000', UPLOADS_PER_SUPPORT_USER_PER_HOUR: '100000', UPLOAD_LOCAL_REFUSALS_PER_USER_PER_HOUR: '100000', LOGIN_MAX_ATTEMPTS_PER_IP: '100000', LOGIN_MAX_FAILURES_PER_EMAIL: '1000' },
    });
    handleClientErrors(t.server);
    support = await rawSignIn(t.url, TEST_USERS.support.email, TEST_USERS.support.password);
    const page = await httpRequest(`${t.url}/login`, {});
    anonymous = { cookie: (page.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; '), csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]! };
    filesBefore = snapshotFiles([process.cwd()]);
    const spies = (['createWriteStream', 'writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'mkdtemp', 'mkdtempSync'] as const).map((m) => vi.spyOn(fs, m));
    memoryBefore = liveMemory();
    // One at a time: each case is judged on its own, and the slow ones overlap nothing.
    for (const c of [...uploadCases(), ...loginCases()]) results.set(c.name, await c.send().catch((e: Error) => ({ status: -1, headers: {}, body: e.message, bytesSentBeforeResponse: 0, firstByteMs: 0, elapsedMs: 0 })));
    writes = spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
    vi.restoreAllMocks();
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('then the corpus has at least 50 distinct requests', () => {
    const cases = [...uploadCases(), ...loginCases()];
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    expect(cases.length).toBeGreaterThanOrEqual(50);
  });

  describe('to the upload route', () => {
    it.each(uploadCases().map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const res = results.get(c.name)!;
      expect({ status: res.status, body: res.body.slice(0, 200) }).toMatchObject({ status: c.status });
      expect(res.body).toMatch(c.message);
    });
  });

  describe('to the login route', () => {
    it.each(loginCases().map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const res = results.get(c.name)!;
      expect({ status: res.status, body: res.body.slice(0, 200) }).toMatchObject({ status: c.status });
      expect(res.body).toMatch(c.message);
    });
  });

  it('then no request was answered with a 5xx and none hung', () => {
    for (const [name, res] of results) expect({ name, status: res.status }).toEqual({ name, status: expect.toSatisfy((s: number) => s >= 400 && s < 500) });
  });

  it('then the oversized chunked body was cut off near the limit, not drained', () => {
    const res = results.get('a 20 MB chunked body without Content-Length is cut off at the limit')!;
    // What the client got onto the wire before the answer is mostly the loopback's socket buffers
    // (about 4 MB here: SQLite measured 4.06 MB); PostgreSQL's round trips before the cut add a few
    // hundred KB (4.33 MB). Drained would be all 20 MB.
    expect(res.bytesSentBeforeResponse).toBeLessThan(6 * 1024 * 1024);
  });

  it('then the dripping client was let go about when the read deadline passed', () => {
    const res = results.get('a slow client that drips its body gets a 408 and is let go')!;
    expect(res.elapsedMs).toBeGreaterThanOrEqual(BODY_TIMEOUT_MS - 50);
    expect(res.elapsedMs).toBeLessThan(BODY_TIMEOUT_MS + 2_000);
  });

  it('then memory stayed bounded', () => {
    const after = liveMemory();
    expect(after.heapUsed - memoryBefore.heapUsed).toBeLessThan(MEMORY_BOUND);
    expect(after.rss - memoryBefore.rss).toBeLessThan(2 * MEMORY_BOUND);
  });

  it('then nothing was written to disk', () => {
    expect(changedFiles(filesBefore, snapshotFiles([process.cwd()]))).toEqual([]);
    expect(writes).toBe(0);
  });

  it('then Facturapi received nothing', () => {
    expect(t.emulator.received.filter((r) => r.method === 'PUT')).toHaveLength(0);
  });

  it('then a normal upload still works afterwards', async () => {
    const { body, contentType } = uploadBody(support, { ...fx.validCsd, cer: toPem(fx.validCsd.cer, 'CERTIFICATE') });
    const res = await httpRequest(`${t.url}${uploadPath()}`, { method: 'POST', headers: { Cookie: support.cookie, 'Content-Type': contentType, 'Content-Length': body.length }, body });
    expect(res.status).toBe(303);
    expect(t.emulator.received.filter((r) => r.method === 'PUT')).toHaveLength(1);
  });
});
