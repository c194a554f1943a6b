/**
 * Keys that choose their own cost (issue 9, item 1), through HTTP against the real app running
 * the REAL worker pool, as runtime.ts builds it. A `.key` whose PBES2 parameters said 50,000,000
 * PBKDF2 iterations held a worker for 21 s, and a legitimate upload sent a second later waited
 * 20 s. Now such keys are refused from their structure, before anything is derived, and every
 * other upload keeps its normal time.
 *
 * The hostile keys are written with their huge parameters but encrypted cheaply (`cheap`): the
 * app must refuse them before deriving, so the ciphertext never matters, and building them
 * costs nothing. Raw requests, as in test/hostile-input.test.ts.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInspectionPool, type InspectionPool } from '../src/certificates/inspection-pool.js';
import { DEMO_ORGANIZATION_IDS } from '../emulator/demo-data.js';
import { sha256, startTestApp, type TestApp } from './support/app-harness.js';
import { pbeSchemeKeyDer } from '../fixtures/legacy-keys.js';
import { oversizedRsaPrivateKey, oversizedRsaPublicKey } from '../fixtures/oversized-rsa.js';
import { httpRequest, rawSignIn, uploadBody, type RawSession } from '../tools/raw-http.js';
import {
  certificateNumber, FIXTURE_REFERENCE_DATE, generateSatPair, pooledKeyPair, standardFixtures, toPem, toSatKeyDer, type SatKeyEncryption, type StandardFixtures,
} from '../fixtures/index.js';
import { TEST_USERS } from './support/users.js';

const ORG = DEMO_ORGANIZATION_IDS.noCertificate;
/** The bound: each hostile upload is refused within 1 s (it takes tens of ms). */
const REFUSED_WITHIN_MS = 1_000;
/** The three hostile keys of the concurrent test (the before-run capped them, see the report). */
const HOSTILE = {
  iterations: 50_000_000,
  maxIterations: 2 ** 31 - 1,
  // 46 s in OpenSSL (and within its 32 MB scrypt memory limit, so it really runs).
  scrypt: { cost: 1024, blockSize: 1, parallelization: 100_000 },
};

const M = {
  keyExcessive: /pide un cifrado mucho más costoso/,
  keyUnsupported: /formato convertido que no se puede enviar/,
  cerExcessive: /mucho más grande que la de un CSD del SAT/,
  timeout: /Revisar estos archivos tardó demasiado y lo detuvimos/,
  notKey: /no es una llave privada \(\.key\) válida/,
};

let t: TestApp;
let pool: InspectionPool;
let fx: StandardFixtures;
let support: RawSession;
let admin: RawSession;
/** Calls the app made to the pool, to know when the hostile uploads have reached it. */
let inspections = 0;

interface Timed {
  status: number;
  body: string;
  ms: number;
}

/** Posts the upload form as `session` and times it from sending to the whole answer. */
async function post(session: RawSession, files: { cer: Buffer; key: Buffer; password: string }, app: TestApp = t): Promise<Timed> {
  const { body, contentType } = uploadBody(session, files);
  const started = performance.now();
  const res = await httpRequest(`${app.url}/organizations/${ORG}/certificate`, {
    method: 'POST',
    headers: { Cookie: session.cookie, 'Content-Type': contentType, 'Content-Length': body.length },
    body,
  });
  return { status: res.status, body: res.body, ms: performance.now() - started };
}

const puts = () => t.emulator.received.filter((r) => r.method === 'PUT');
const hostileKey = (encryption: SatKeyEncryption) => toSatKeyDer(pooledKeyPair(0).privateKey, fx.validCsd.password, { cheap: true, ...encryption });
const withKey = (key: Buffer) => ({ ...fx.validCsd, key });
// Each legitimate upload its own certificate: the installed one sent again is not sent (issue 10).
let nextNumber = 300;
const freshCsd = () => generateSatPair({ validFrom: fx.validCsd.validFrom, validTo: fx.validCsd.validTo, certificateNumber: certificateNumber(nextNumber++) });

/** Polls `condition` every 5 ms until it holds, failing after `withinMs`. */
async function until(condition: () => boolean, withinMs: number): Promise<void> {
  const deadline = performance.now() + withinMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`condition not met within ${withinMs} ms`);
    await delay(5);
  }
}

beforeAll(async () => {
  fx = standardFixtures(FIXTURE_REFERENCE_DATE);
  // The pool runtime.ts builds (default size and deadline): the point is how real workers behave.
  pool = createInspectionPool();
  t = await startTestApp({
    env: { UPLOADS_PER_USER_PER_HOUR: '100000', UPLOADS_PER_SUPPORT_USER_PER_HOUR: '100000', UPLOAD_LOCAL_REFUSALS_PER_USER_PER_HOUR: '100000' },
    deps: {
      inspect: (input, task) => {
        inspections += 1;
        return pool.inspect(input, task);
      },
    },
  });
  support = await rawSignIn(t.url, TEST_USERS.support.email, TEST_USERS.support.password);
  admin = await rawSignIn(t.url, TEST_USERS.admin.email, TEST_USERS.admin.password);
}, 60_000);

afterAll(async () => {
  await t?.close();
  await pool?.close();
});

describe('when three hostile keys and a legitimate upload arrive at the same time', () => {
  let baseline: Timed;
  let legitimate: Timed;
  // Keyed by the attack; each carries the message it must get (they finish in any order).
  const hostile = new Map<string, { res: Timed; message: RegExp }>();
  let putsBefore = 0;
  let legitimatePair: ReturnType<typeof freshCsd>;

  beforeAll(async () => {
    // The first upload also loads the worker's modules; the second is the baseline.
    expect((await post(support, freshCsd())).status).toBe(303);
    baseline = await post(support, freshCsd());
    expect(baseline.status).toBe(303);
    putsBefore = puts().length;
    legitimatePair = freshCsd();

    const keys: Array<[string, Buffer, RegExp]> = [
      [`${HOSTILE.iterations} PBKDF2 iterations`, hostileKey({ iterations: HOSTILE.iterations }), M.keyExcessive],
      [`${HOSTILE.maxIterations} PBKDF2 iterations`, hostileKey({ iterations: HOSTILE.maxIterations }), M.keyExcessive],
      [`scrypt N=${HOSTILE.scrypt.cost} r=${HOSTILE.scrypt.blockSize} p=${HOSTILE.scrypt.parallelization}`, hostileKey({ scrypt: HOSTILE.scrypt }), M.keyUnsupported],
    ];
    const before = inspections;
    // The hostile uploads come from one user (an account admin), the legitimate one from another.
    const attacks = keys.map(([name, key, message]) => post(admin, withKey(key)).then((res) => void hostile.set(name, { res, message })));
    // The legitimate upload is sent once all three hostile ones have reached the pool.
    await until(() => inspections >= before + keys.length, 20_000);
    const legitimateUpload = post(support, legitimatePair).then((res) => {
      legitimate = res;
    });
    await Promise.all([...attacks, legitimateUpload]);
  }, 600_000);

  it('then each hostile upload is refused with 422 and its message within 1 s', () => {
    expect(hostile.size).toBe(3);
    for (const { res, message } of hostile.values()) {
      expect({ status: res.status, fast: res.ms < REFUSED_WITHIN_MS, ms: Math.round(res.ms) }).toMatchObject({ status: 422, fast: true });
      expect(res.body).toMatch(message);
    }
  });

  it('then the legitimate upload completes in its normal time and its bytes reach Facturapi', () => {
    expect(legitimate.status).toBe(303);
    // Generous: five times the baseline plus a second absorbs a loaded machine; the hogging this
    // guards against costs 20 s or more per hostile key.
    expect({ ms: Math.round(legitimate.ms), baseline: Math.round(baseline.ms) }).toEqual({ ms: expect.toSatisfy((ms: number) => ms < baseline.ms * 5 + 1_000), baseline: Math.round(baseline.ms) });
    const received = puts().slice(putsBefore);
    expect(received).toHaveLength(1);
    expect(received[0]!.upload?.key?.sha256).toBe(sha256(legitimatePair.key));
    expect(received[0]!.upload?.cer?.sha256).toBe(sha256(legitimatePair.cer));
  });

  it('then nothing needed the pool’s deadline: the keys were refused from their structure', () => {
    expect(pool.timedOut).toBe(0);
  });
});

// ---- the corpus ---------------------------------------------------------------------------

interface HostileCase {
  name: string;
  files: () => { cer: Buffer; key: Buffer; password: string };
  message: RegExp;
}

const cases = (): HostileCase[] => [
  { name: 'a key asking for 100,001 PBKDF2 iterations (one over the bound)', files: () => withKey(hostileKey({ iterations: 100_001 })), message: M.keyExcessive },
  { name: 'a key asking for 50,000,000 PBKDF2 iterations', files: () => withKey(hostileKey({ iterations: 50_000_000 })), message: M.keyExcessive },
  { name: 'a key asking for 2^31 − 1 PBKDF2 iterations', files: () => withKey(hostileKey({ iterations: 2 ** 31 - 1 })), message: M.keyExcessive },
  { name: 'a key asking for 2^64 PBKDF2 iterations', files: () => withKey(hostileKey({ iterations: 2n ** 64n })), message: M.keyExcessive },
  { name: 'a key whose iteration count is a thousand bytes long', files: () => withKey(hostileKey({ iterations: Buffer.concat([Buffer.from([0x7f]), Buffer.alloc(1000, 0xff)]) })), message: M.keyExcessive },
  { name: 'a key with a 65-byte salt', files: () => withKey(hostileKey({ salt: Buffer.alloc(65, 1) })), message: M.keyExcessive },
  { name: 'a PEM key asking for 50,000,000 iterations', files: () => withKey(toPem(hostileKey({ iterations: 50_000_000 }), 'ENCRYPTED PRIVATE KEY')), message: M.keyExcessive },
  { name: 'a key decrypting to an 8192-bit RSA key', files: () => withKey(toSatKeyDer(oversizedRsaPrivateKey(8192), fx.validCsd.password)), message: M.keyExcessive },
  { name: 'a key derived with scrypt and a huge p', files: () => withKey(hostileKey({ scrypt: { cost: 1024, blockSize: 1, parallelization: 100_000 } })), message: M.keyUnsupported },
  { name: 'a key derived with scrypt and a huge N', files: () => withKey(hostileKey({ scrypt: { cost: 2 ** 20, blockSize: 8, parallelization: 1 } })), message: M.keyUnsupported },
  { name: 'a key derived with scrypt and parameters past 2^53', files: () => withKey(hostileKey({ scrypt: { cost: 2n ** 62n, blockSize: 2n ** 40n, parallelization: 2n ** 40n } })), message: M.keyUnsupported },
  { name: 'a PKCS#12 3DES key asking for 2^31 − 1 iterations', files: () => withKey(pbeSchemeKeyDer('pkcs12-sha1-3des', 2 ** 31 - 1)), message: M.keyUnsupported },
  { name: 'a PBES1 MD5-DES key asking for 2^31 − 1 iterations', files: () => withKey(pbeSchemeKeyDer('pbes1-md5-des', 2 ** 31 - 1)), message: M.keyUnsupported },
  { name: 'a key with an unknown PRF and 50,000,000 iterations', files: () => withKey(hostileKey({ prf: { oid: '1.3.6.1.4.1.55555.2' }, iterations: 50_000_000 })), message: M.keyUnsupported },
  { name: 'a key with hmacWithMD5', files: () => withKey(hostileKey({ prf: { oid: '1.2.840.113549.2.6' } })), message: M.keyUnsupported },
  { name: 'a key whose keyLength is 2^31 − 1', files: () => withKey(hostileKey({ keyLength: 2 ** 31 - 1 })), message: M.keyUnsupported },
  { name: 'a 3DES key with a 16-byte IV', files: () => withKey(hostileKey({ iv: Buffer.alloc(16) })), message: M.keyUnsupported },
  { name: 'a key with a negative iteration count', files: () => withKey(hostileKey({ iterations: Buffer.from([0xff, 0x00]) })), message: M.keyUnsupported },
  { name: 'a key with zero iterations', files: () => withKey(hostileKey({ iterations: 0 })), message: M.keyUnsupported },
  { name: 'a key with single-DES encryption', files: () => withKey(hostileKey({ cipher: { oid: '1.3.14.3.2.7', ivLength: 8 } })), message: M.keyUnsupported },
  { name: 'a certificate with an 8192-bit modulus', files: () => ({ ...fx.validCsd, cer: generateSatPair({ keyPair: { publicKey: oversizedRsaPublicKey(8192), privateKey: pooledKeyPair(0).privateKey } }).cer }), message: M.cerExcessive },
  { name: 'a certificate with public exponent 2^64 + 1', files: () => ({ ...fx.validCsd, cer: generateSatPair({ keyPair: { publicKey: oversizedRsaPublicKey(2048, 2n ** 64n + 1n), privateKey: pooledKeyPair(0).privateKey } }).cer }), message: M.cerExcessive },
];

describe('when hostile keys and certificates are uploaded one after another', () => {
  const results = new Map<string, Timed>();
  let putsBefore = 0;

  beforeAll(async () => {
    putsBefore = puts().length;
    for (const c of cases()) results.set(c.name, await post(support, c.files()));
  }, 120_000);

  it.each(cases().map((c) => [c.name, c] as const))('%s is refused with 422 and a message', (_name, c) => {
    const res = results.get(c.name)!;
    expect({ status: res.status, body: res.body.slice(0, 200) }).toMatchObject({ status: 422 });
    expect(res.body).toMatch(c.message);
  });

  it('then each was answered within 1 s, none with a 5xx', () => {
    for (const [name, res] of results) expect({ name, status: res.status, fast: res.ms < REFUSED_WITHIN_MS }).toEqual({ name, status: 422, fast: true });
  });

  it('then Facturapi received none of them', () => {
    expect(puts().length).toBe(putsBefore);
  });

  it('then a normal upload still works afterwards', async () => {
    const res = await post(support, freshCsd());
    expect(res.status).toBe(303);
    expect(puts().length).toBe(putsBefore + 1);
  });
});

describe('when a check overruns the pool’s deadline', () => {
  // Nothing the inspector accepts can take that long, so a stand-in worker stalls on request
  // (password 'stall'), and the deadline is short to keep the test quick.
  let stalled: TestApp;
  let stallingPool: InspectionPool;
  let session: RawSession;

  beforeAll(async () => {
    stallingPool = createInspectionPool({ size: 1, deadlineMs: 500, workerUrl: new URL('./support/stalling-inspection-worker.ts', import.meta.url) });
    stalled = await startTestApp({ env: { UPLOADS_PER_USER_PER_HOUR: '100000', UPLOADS_PER_SUPPORT_USER_PER_HOUR: '100000', UPLOAD_LOCAL_REFUSALS_PER_USER_PER_HOUR: '100000' }, deps: { inspect: (input, task) => stallingPool.inspect(input, task) } });
    session = await rawSignIn(stalled.url, TEST_USERS.support.email, TEST_USERS.support.password);
  }, 60_000);

  afterAll(async () => {
    await stalled?.close();
    await stallingPool?.close();
  });

  it('then that upload is refused with 422 and a message, nothing is relayed, and the next upload works', async () => {
    const res = await post(session, { ...fx.validCsd, password: 'stall' }, stalled);
    expect({ status: res.status, body: res.body.slice(0, 200) }).toMatchObject({ status: 422 });
    expect(res.body).toMatch(M.timeout);
    expect(stallingPool.timedOut).toBe(1);
    expect(stalled.emulator.received.filter((r) => r.method === 'PUT')).toHaveLength(0);
    expect((await post(session, freshCsd(), stalled)).status).toBe(303);
  });
});
