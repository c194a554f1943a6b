import { describe, expect, it } from 'vitest';
import { generateSatPair } from '../../fixtures/index.js';
import { inspectCsd } from './index.js';
import type { Inspection, ProblemCode } from './index.js';

function codes(result: Inspection): Array<[ProblemCode, string | null]> {
  return result.ok ? [] : result.problems.map((problem) => [problem.code, problem.field]);
}

describe('inspectCsd: validity boundaries are inclusive', () => {
  const pair = generateSatPair({ validFrom: new Date('2025-03-01T12:00:00Z'), validTo: new Date('2029-03-01T12:00:00Z') });
  const at = (iso: string): Inspection => inspectCsd({ ...pair, now: new Date(iso) });

  it('when now is exactly validFrom, then it is valid', () => expect(at('2025-03-01T12:00:00.000Z').ok).toBe(true));
  it('when now is exactly validTo, then it is valid', () => expect(at('2029-03-01T12:00:00.000Z').ok).toBe(true));
  it('when now is 1 ms before validFrom, then it is not yet valid', () => {
    expect(codes(at('2025-03-01T11:59:59.999Z'))).toEqual([['certificate_not_yet_valid', 'cer']]);
  });
  it('when now is 1 ms after validTo, then it has expired', () => {
    expect(codes(at('2029-03-01T12:00:00.001Z'))).toEqual([['certificate_expired', 'cer']]);
  });
  it('when now is an invalid date, then it fails closed with both validity problems', () => {
    expect(codes(inspectCsd({ ...pair, now: new Date(Number.NaN) }))).toEqual([
      ['certificate_not_yet_valid', 'cer'],
      ['certificate_expired', 'cer'],
    ]);
  });
});
