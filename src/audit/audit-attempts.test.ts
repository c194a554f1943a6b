import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../db/database.js';
import { createTestClock, createTestDatabase, MINUTE, type TestClock } from '../../test/support/test-database.js';
import { createAuditTrail, type AuditTrail } from './audit.service.js';
import { SecretInAuditDetailError } from './audit-detail.js';

const ORG = 'a'.repeat(24);
const ana = { id: 'u-ana', email: 'ana@example.com', role: 'support' };

let opened: OpenDatabase;
let clock: TestClock;
let trail: AuditTrail;
beforeEach(async () => {
  opened = await createTestDatabase();
  clock = createTestClock('2026-03-01T00:00:00.000Z');
  trail = createAuditTrail(opened.db, { now: clock });
});
afterEach(() => opened.close());

const attempt = () => trail.begin({ actor: ana, organizationId: ORG, action: 'certificate.upload', ip: '203.0.113.7', detail: { result: 'sent', certificateNumber: '30001000000500003416' } });
const only = async () => (await trail.query({ page: 1, pageSize: 10 })).rows;

describe('audit trail: attempts of changes made elsewhere', () => {
  it('writes the attempt with the outcome unknown, before anything else happens', async () => {
    const id = await attempt();
    expect(await only()).toMatchObject([{ id, outcome: 'unknown', actorEmail: 'ana@example.com', ip: '203.0.113.7', detail: { result: 'sent' } }]);
  });

  it('completes the same entry with the outcome and detail, keeping the time it was sent', async () => {
    const id = await attempt();
    clock.advance(5 * MINUTE);
    await trail.complete(id, 'success', { result: 'uploaded', certificateNumber: '30001000000500003416' });
    const rows = await only();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id, outcome: 'success', occurredAt: '2026-03-01T00:00:00.000Z', detail: { result: 'uploaded' } });
  });

  it('completes an attempt only once, and nothing that is not an attempt', async () => {
    const id = await attempt();
    await trail.complete(id, 'failure', { result: 'rejected' });
    await expect(trail.complete(id, 'success', { result: 'uploaded' })).rejects.toThrow(/not an open attempt/);
    await trail.record({ actor: ana, action: 'login.success', outcome: 'success' });
    const login = (await trail.query({ action: 'login.success', page: 1, pageSize: 1 })).rows[0]!;
    await expect(trail.complete(login.id, 'failure')).rejects.toThrow(/not an open attempt/);
    expect((await trail.query({ action: 'certificate.upload', page: 1, pageSize: 1 })).rows[0]!.outcome).toBe('failure');
  });

  it('refuses a secret-looking key in the completion as in any event', async () => {
    const id = await attempt();
    await expect(trail.complete(id, 'success', { password: 'x' })).rejects.toBeInstanceOf(SecretInAuditDetailError);
    expect((await only())[0]!.outcome).toBe('unknown');
  });
});
