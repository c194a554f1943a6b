import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../db/database.js';
import { createTestClock, createTestDatabase, HOUR, type TestClock } from '../../test/support/test-database.js';
import { createAuditTrail, type AuditEvent, type AuditTrail } from './audit.service.js';
import { SecretInAuditDetailError } from './audit-detail.js';

const ORG_A = 'a'.repeat(24);
const ORG_B = 'b'.repeat(24);
const ana = { id: 'u-ana', email: 'ana@example.com', role: 'support' };
const bob = { id: 'u-bob', email: 'bob@example.com', role: 'account_admin' };

let opened: OpenDatabase;
let clock: TestClock;
let trail: AuditTrail;

beforeEach(async () => {
  opened = await createTestDatabase();
  clock = createTestClock('2026-03-01T00:00:00.000Z');
  trail = createAuditTrail(opened.db, { now: clock });
});
afterEach(() => opened.close());

function event(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return { actor: ana, action: 'certificate.upload', outcome: 'success', organizationId: ORG_A, ...overrides };
}

/** Records events one hour apart, oldest first. */
async function recordHourly(events: AuditEvent[]): Promise<void> {
  for (const e of events) {
    await trail.record(e);
    clock.advance(HOUR);
  }
}

describe('audit trail: record', () => {
  it('stores every field and parses the detail back', async () => {
    await trail.record(event({
      ip: '203.0.113.7', userAgent: 'Firefox', requestId: 'req-1',
      detail: { certificateNumber: '30001000000500003416', onBehalfOf: true, problems: null },
    }));
    const { rows, total } = await trail.query({ page: 1, pageSize: 10 });
    expect(total).toBe(1);
    expect(rows[0]).toMatchObject({
      occurredAt: '2026-03-01T00:00:00.000Z', actorUserId: 'u-ana', actorEmail: 'ana@example.com',
      actorRole: 'support', organizationId: ORG_A, action: 'certificate.upload', outcome: 'success',
      ip: '203.0.113.7', userAgent: 'Firefox', requestId: 'req-1',
      detail: { certificateNumber: '30001000000500003416', onBehalfOf: true, problems: null },
    });
  });

  it.each(['password', 'keyPassword', 'passphrase', 'apiSecret', 'token', 'Cookie', 'authorization', 'key', 'keyBytes', '_csrf'])(
    'refuses the secret-looking detail key "%s" in strict mode and writes nothing',
    async (key) => {
      await expect(trail.record(event({ detail: { [key]: 'x' } }))).rejects.toBeInstanceOf(SecretInAuditDetailError);
      expect((await trail.query({ page: 1, pageSize: 10 })).total).toBe(0);
    },
  );

  it('in non-strict (production) mode drops the secret key but keeps the event', async () => {
    const lenient = createAuditTrail(opened.db, { now: clock, strict: false });
    await lenient.record(event({ detail: { password: 'hunter2hunter2', rfc: 'EKU9003173C9' } }));
    const { rows } = await lenient.query({ page: 1, pageSize: 10 });
    expect(rows[0]?.detail).toEqual({ rfc: 'EKU9003173C9', _dropped: 'password' });
    expect(JSON.stringify(rows)).not.toContain('hunter2');
  });

  it('allows harmless keys that merely contain "key" such as keyFileName', async () => {
    await trail.record(event({ detail: { keyFileName: 'CSD.key' } }));
    expect((await trail.query({ page: 1, pageSize: 1 })).rows[0]?.detail).toEqual({ keyFileName: 'CSD.key' });
  });

  it('caps long strings and never stringifies a Buffer smuggled past the types', async () => {
    const buffer = Buffer.from('-----BEGIN PRIVATE KEY-----');
    await trail.record(event({ detail: { note: 'x'.repeat(5000), blob: buffer as unknown as string } }));
    const detail = (await trail.query({ page: 1, pageSize: 1 })).rows[0]?.detail;
    expect(String(detail?.note)).toHaveLength(500);
    expect(detail?.blob).toBe('[omitted]');
  });

  it('rolls the event back with the transaction it was written in', async () => {
    await expect(
      opened.db.transaction().execute(async (trx) => {
        await trail.record(event(), trx);
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    expect((await trail.query({ page: 1, pageSize: 10 })).total).toBe(0);
  });
});

describe('audit trail: query', () => {
  beforeEach(async () => {
    await recordHourly([
      event({ action: 'login.success', organizationId: null }),        // 00:00
      event({ outcome: 'failure' }),                                    // 01:00
      event({ actor: bob, organizationId: ORG_B }),                     // 02:00
      event({ actor: bob, organizationId: ORG_B, outcome: 'denied' }), // 03:00
      event({ action: 'certificate.delete' }),                          // 04:00
    ]);
  });

  it('returns events newest first with the total', async () => {
    const { rows, total } = await trail.query({ page: 1, pageSize: 10 });
    expect(total).toBe(5);
    expect(rows.map((r) => r.occurredAt.slice(11, 13))).toEqual(['04', '03', '02', '01', '00']);
  });

  it('paginates with the total of the whole filter', async () => {
    const second = await trail.query({ page: 2, pageSize: 2 });
    expect(second.total).toBe(5);
    expect(second.rows.map((r) => r.occurredAt.slice(11, 13))).toEqual(['02', '01']);
    expect((await trail.query({ page: 3, pageSize: 2 })).rows).toHaveLength(1);
  });

  it('filters by organization, actor email (any case), action and outcome', async () => {
    expect((await trail.query({ page: 1, pageSize: 10, organizationId: ORG_B })).total).toBe(2);
    expect((await trail.query({ page: 1, pageSize: 10, actorEmail: ' BOB@example.com ' })).total).toBe(2);
    expect((await trail.query({ page: 1, pageSize: 10, action: 'certificate.delete' })).total).toBe(1);
    expect((await trail.query({ page: 1, pageSize: 10, outcome: 'denied' })).total).toBe(1);
  });

  it('filters by date range, from inclusive and to exclusive', async () => {
    const { rows } = await trail.query({
      page: 1, pageSize: 10,
      from: new Date('2026-03-01T01:00:00.000Z'), to: new Date('2026-03-01T03:00:00.000Z'),
    });
    expect(rows.map((r) => r.occurredAt.slice(11, 13))).toEqual(['02', '01']);
  });

  it('limits an account admin scope to their organizations, leaving out events without one', async () => {
    const scoped = await trail.query({ page: 1, pageSize: 10, organizationIds: [ORG_B] });
    expect(scoped.rows.every((r) => r.organizationId === ORG_B)).toBe(true);
    expect(scoped.total).toBe(2);
    expect((await trail.query({ page: 1, pageSize: 10, organizationIds: [] })).total).toBe(0);
  });
});

describe('audit trail: prune', () => {
  it('deletes only events older than the retention', async () => {
    await trail.record(event({ requestId: 'old' }));
    clock.advance(10 * 24 * HOUR);
    await trail.record(event({ requestId: 'recent' }));
    clock.advance(25 * 24 * HOUR);

    expect(await trail.prune(30)).toBe(1);
    const { rows } = await trail.query({ page: 1, pageSize: 10 });
    expect(rows.map((r) => r.requestId)).toEqual(['recent']);
  });

  it('refuses a retention below one day', async () => {
    await expect(trail.prune(0)).rejects.toThrow(RangeError);
  });
});
