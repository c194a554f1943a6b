import { afterAll, describe, expect, it } from 'vitest';
import { inspectCsd } from './inspection.js';
import { createInspectionPool } from './inspection-pool.js';
import { FIXTURE_REFERENCE_DATE, generateSatPair } from '../../fixtures/index.js';

const pair = generateSatPair({});
const pool = createInspectionPool({ size: 2 });
afterAll(() => pool.close());

describe('the inspection pool', () => {
  it('when a sound CSD is inspected in a worker, then the result equals the inline inspector\u2019s, with Buffers', async () => {
    const input = { cer: pair.cer, key: pair.key, password: pair.password, now: FIXTURE_REFERENCE_DATE };
    const inWorker = await pool.inspect(input);
    const inline = inspectCsd(input);
    expect(inWorker).toEqual(inline);
    expect(inWorker.ok && Buffer.isBuffer(inWorker.keyDer) && Buffer.isBuffer(inWorker.cerDer)).toBe(true);
    expect(inWorker.ok && inWorker.facts.validTo instanceof Date).toBe(true);
  });

  it('when many inspections are queued, then each gets its own answer', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => pool.inspect({ cer: pair.cer, key: pair.key, password: i % 2 ? pair.password : 'wrong', now: FIXTURE_REFERENCE_DATE })),
    );
    expect(results.map((r) => r.ok)).toEqual(Array.from({ length: 12 }, (_, i) => i % 2 === 1));
  });

  it('when the pool is closed, then new work is refused', async () => {
    const other = createInspectionPool({ size: 1 });
    await other.close();
    await expect(other.inspect({ cer: pair.cer, key: pair.key, password: pair.password, now: FIXTURE_REFERENCE_DATE })).rejects.toThrow(/closed/);
  });
});
