import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../db/database.js';
import { createTestClock, createTestDatabase, type TestClock } from '../../test/support/test-database.js';
import { createRefusalAudit, type Refusal, type RefusalAudit } from './refusal-audit.js';

const WINDOW = 15 * 60_000;
let opened: OpenDatabase;
let clock: TestClock;
let refusals: RefusalAudit;

beforeEach(async () => {
  opened = await createTestDatabase();
  clock = createTestClock('2026-03-01T00:00:00.000Z');
  refusals = createRefusalAudit({ db: opened.db, now: clock, windowMs: WINDOW, flushMs: 60_000, writeThrough: 3, maxKeys: 5, maxSubjects: 2 });
});
afterEach(async () => {
  await refusals.close();
  await opened.close();
});

const csrf = (ip: string): Refusal => ({ actor: null, action: 'access.denied', outcome: 'denied', reason: 'csrf', ip, detail: { method: 'POST' } });
const failure = (ip: string, email: string): Refusal => ({ actor: null, action: 'login.failure', outcome: 'failure', reason: 'invalid', ip, subject: email, subjectDetail: { email } });
const rows = async () =>
  (await opened.db.selectFrom('audit_events').selectAll().orderBy('occurred_at').execute()).map((r) => ({ ...r, detail: JSON.parse(r.detail ?? '{}') as Record<string, unknown> }));

describe('refusal audit', () => {
  it('when one client is refused again and again, then one row counts them: exact for the first few, then at flush', async () => {
    for (let i = 0; i < 3; i++) await refusals.record(csrf('203.0.113.1'));
    expect((await rows()).map((r) => r.detail.count)).toEqual([3]);
    for (let i = 0; i < 97; i++) await refusals.record(csrf('203.0.113.1'));
    expect((await rows()).map((r) => r.detail.count)).toEqual([3]);
    await refusals.flush();
    const [row] = await rows();
    expect(row).toMatchObject({ action: 'access.denied', outcome: 'denied', ip: '203.0.113.1', detail: { method: 'POST', reason: 'csrf', count: 100 } });
  });

  it('when the window is over, then the old row keeps its final count and a new row starts', async () => {
    for (let i = 0; i < 5; i++) await refusals.record(csrf('203.0.113.1'));
    clock.advance(WINDOW);
    await refusals.record(csrf('203.0.113.1'));
    await refusals.flush();
    expect((await rows()).map((r) => r.detail.count)).toEqual([5, 1]);
  });

  it('when a client tries many e-mails, then beyond the cap they share a row that names none of them', async () => {
    for (const email of ['a@x.test', 'b@x.test', 'c@x.test', 'd@x.test']) await refusals.record(failure('203.0.113.1', email));
    await refusals.flush();
    const all = await rows();
    expect(all.map((r) => [r.detail.email, r.detail.count])).toEqual([['a@x.test', 1], ['b@x.test', 1], [undefined, 2]]);
  });

  it('when more clients than the key cap are refused, then the newcomers share one overflow row without an IP', async () => {
    for (let i = 1; i <= 8; i++) await refusals.record(csrf(`203.0.113.${i}`));
    await refusals.flush();
    const all = await rows();
    expect(all).toHaveLength(6);
    const overflow = all.find((r) => r.ip === null);
    expect(overflow?.detail).toMatchObject({ clients: 'many', count: 3 });
  });

  it('when the database refuses the write, then the refusal is still answered and the next one tries again', async () => {
    const errors: unknown[] = [];
    const failing = createRefusalAudit({ db: opened.db, now: clock, windowMs: WINDOW, onError: (e) => errors.push(e) });
    await opened.db.schema.alterTable('audit_events').renameTo('audit_events_away').execute();
    await expect(failing.record(csrf('203.0.113.1'))).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
    await opened.db.schema.alterTable('audit_events_away').renameTo('audit_events').execute();
    await failing.record(csrf('203.0.113.1'));
    await failing.close();
    expect((await rows()).map((r) => r.detail.count)).toEqual([1]);
  });
});
