import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/index.js';
import { startTestApp, TEST_USER_KEY, type TestApp } from './support/app-harness.js';
import { changedFiles, snapshotFiles } from './support/disk-snapshot.js';
import { FIXTURE_REFERENCE_DATE, generateSatPair, pooledKeyPair } from '../fixtures/index.js';
import { postUpload } from './support/upload-request.js';

// A password nobody else would log by accident, so finding it means we leaked it.
const PASSWORD = 'Contraseña-Única-Ñ&-7319';
const pair = generateSatPair({ password: PASSWORD, keyPair: pooledKeyPair(2), validFrom: new Date('2025-01-01'), validTo: new Date('2029-01-01') });

/** The forms a secret can take in a log line. */
function secretForms(): [string, string][] {
  const forms: [string, string][] = [
    ['password', PASSWORD],
    ['user key', TEST_USER_KEY],
    ['key base64', pair.key.toString('base64').slice(0, 40)],
    ['key hex', pair.key.toString('hex').slice(100, 160)],
    ['key latin1', pair.key.subarray(80, 120).toString('latin1')],
  ];
  return forms;
}

describe('when uploads succeed and fail, then no secret reaches the logs, the pages or the disk', () => {
  let t: TestApp;
  let before: Map<string, string>;
  const pages: string[] = [];
  const spies: { spy: { mock: { calls: unknown[][] } }; counts: (args: unknown[]) => boolean }[] = [];
  let after: Map<string, string>;
  let calls = 0;

  beforeAll(async () => {
    t = await startTestApp({ now: FIXTURE_REFERENCE_DATE });
    const session = await t.signIn('support');
    // The project folder is compared before/after; the temp folder is not, because other test
    // files running in parallel use it. Writes anywhere are caught by spying on fs itself.
    before = snapshotFiles([process.cwd()]);
    // Opening to read (templates) is fine; opening to write, or any write call, is not.
    const opensForWriting = (args: unknown[]) =>
      typeof args[1] === 'string' ? /[wa+]/.test(args[1]) : typeof args[1] === 'number' && (args[1] & (fs.constants.O_WRONLY | fs.constants.O_RDWR)) !== 0;
    const always = () => true;
    spies.push(
      { spy: vi.spyOn(fs, 'open'), counts: opensForWriting },
      { spy: vi.spyOn(fs, 'openSync'), counts: opensForWriting },
      { spy: vi.spyOn(fs.promises, 'open'), counts: opensForWriting },
      ...(['createWriteStream', 'writeFile', 'writeFileSync', 'appendFile', 'appendFileSync'] as const).map((m) => ({ spy: vi.spyOn(fs, m), counts: always })),
      { spy: vi.spyOn(fs.promises, 'writeFile'), counts: always },
    );
    const org = DEMO_ORGANIZATION_IDS.noCertificate;
    const flows = [
      postUpload(session, org, pair),
      postUpload(session, org, { ...pair, password: `${PASSWORD}x` }),
      postUpload(session, DEMO_ORGANIZATION_IDS.expiresIn45Days, pair),
      postUpload(session, org, { cer: pair.cer, key: Buffer.alloc(70 * 1024, 7), password: PASSWORD }),
      postUpload(session, org, { cer: pair.key, key: pair.cer, password: PASSWORD }),
    ];
    for (const flow of flows) {
      const res = await flow;
      pages.push(res.text, JSON.stringify(res.headers));
      if (res.status === 303) pages.push((await session.agent.get(res.headers.location!)).text);
    }
    t.emulator.setFault({ kind: 'status', status: 502, json: false });
    pages.push((await postUpload(session, org, pair)).text);
    after = snapshotFiles([process.cwd()]);
    calls = spies.reduce((sum, { spy, counts }) => sum + spy.mock.calls.filter((args) => counts(args as unknown[])).length, 0);
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await t.close();
  });

  it.each(secretForms())('then the %s is in no log line', (_name, secret) => {
    expect(t.logs.lines.length).toBeGreaterThan(10);
    expect(t.logs.text).not.toContain(secret);
    expect(t.logs.text).not.toContain(JSON.stringify(secret).slice(1, -1));
  });

  it.each(secretForms())('then the %s is in no page or header', (_name, secret) => {
    for (const page of pages) expect(page).not.toContain(secret);
  });

  it.each(secretForms())('then the %s is in no audit row', async (_name, secret) => {
    const { rows, total } = await t.audit.query({ page: 1, pageSize: 500 });
    expect(total).toBeGreaterThan(5);
    expect(JSON.stringify(rows)).not.toContain(secret);
  });

  it('then no file was opened or written while handling uploads', () => {
    expect(changedFiles(before, after)).toEqual([]);
    expect(calls).toBe(0);
  });
});
