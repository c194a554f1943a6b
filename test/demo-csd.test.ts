/**
 * Issue 10, point 10: `npm run demo:csd` and its variants write distinct file names (a --fiel or
 * --expired run used to overwrite the good pair), print the RFC they used, and each pair shows
 * in the app what its name promises, through HTTP. The script runs as a process (node + tsx, what
 * `npm run demo:csd` runs); `--now` pins its clock to the test app's.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/index.js';
import { FIXTURE_REFERENCE_DATE } from '../fixtures/index.js';
import { REPO_ROOT } from '../tools/spawned-server.js';
import { startTestApp, type SignedIn, type TestApp } from './support/app-harness.js';
import { postUpload } from './support/upload-request.js';

let out: string;
const runs: Record<string, string> = {};
function demoCsd(...args: string[]): string {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/demo-csd.ts', '--out', out, '--now', FIXTURE_REFERENCE_DATE.toISOString(), ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`demo:csd ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}
const read = (name: string) => fs.readFileSync(path.join(out, name));
const sha = (name: string) => createHash('sha256').update(read(name)).digest('hex');

beforeAll(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-csd-'));
  runs.good = demoCsd();
  runs.goodSha = sha('EKU9003173C9.cer');
  runs.fiel = demoCsd('--fiel');
  runs.expired = demoCsd('--expired');
  runs.rfc = demoCsd('--rfc', 'XAXX010101000');
}, 240_000);
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe('when demo:csd runs with its variants one after another', () => {
  it('then each writes its own pair and the good pair is left as it was', () => {
    expect(fs.readdirSync(out).sort()).toEqual([
      'EKU9003173C9-expired.cer', 'EKU9003173C9-expired.key', 'EKU9003173C9-fiel.cer', 'EKU9003173C9-fiel.key', 'EKU9003173C9.cer', 'EKU9003173C9.key', 'XAXX010101000.cer', 'XAXX010101000.key',
    ]);
    expect(sha('EKU9003173C9.cer')).toBe(runs.goodSha);
  });

  it('then each prints the files it wrote and the RFC it used', () => {
    expect(runs.fiel).toContain(path.join(out, 'EKU9003173C9-fiel.cer'));
    expect(runs.expired).toContain(path.join(out, 'EKU9003173C9-expired.key'));
    expect(runs.rfc).toMatch(/RFC:\s+XAXX010101000/);
    expect(runs.rfc).not.toContain('EKU9003173C9');
    expect(runs.good).toMatch(/RFC:\s+EKU9003173C9/);
  });
});

describe('when the pairs are uploaded to a demo organization without a certificate', () => {
  let t: TestApp;
  let support: SignedIn;
  beforeEach(async () => {
    t = await startTestApp();
    support = await t.signIn('support');
  });
  afterEach(async () => {
    await t.close();
  });
  const upload = (base: string, headers: Record<string, string> = {}) =>
    postUpload(support, DEMO_ORGANIZATION_IDS.noCertificate, { cer: read(`${base}.cer`), key: read(`${base}.key`), password: '12345678a', cerName: `${base}.cer`, keyName: `${base}.key` }, headers);

  it('then the good pair is accepted, and the FIEL and expired ones get their messages (Spanish)', async () => {
    expect((await upload('EKU9003173C9-fiel')).text).toContain('Este certificado es tu e.firma (FIEL), no un CSD.');
    const expired = await upload('EKU9003173C9-expired');
    expect(expired.status).toBe(422);
    expect(expired.text).toMatch(/El certificado venció el \d+ de \w+ de 2026/);
    expect((await upload('EKU9003173C9')).status).toBe(303);
  });

  it('then the same in English, and the --rfc pair is accepted for its RFC', async () => {
    const fiel = await upload('EKU9003173C9-fiel', { 'Accept-Language': 'en' });
    expect(fiel.status).toBe(422);
    expect(fiel.text).toContain('This certificate is your e.firma (FIEL), not a CSD.');
    expect((await upload('EKU9003173C9-expired', { 'Accept-Language': 'en' })).text).toContain('The certificate expired on');
    expect((await upload('XAXX010101000')).status).toBe(303);
    const page = await support.agent.get(`/organizations/${DEMO_ORGANIZATION_IDS.noCertificate}`);
    expect(page.text).toContain('XAXX010101000');
  });
});
