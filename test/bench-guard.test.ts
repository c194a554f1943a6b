/**
 * The bench's regression guard (issue 14, point 4): CPU per upload beyond the certificate check,
 * compared at this machine's reference speed, and the best repetition stands.
 */
import { describe, expect, it } from 'vitest';
import { regressionGuard } from '../scripts/bench/report.js';

const limits = { marginMs: 3, referenceCheckMs: 1.3 };
const runs = (...pairs: [cpuMs: number, checkCpuMs: number][]) => ({ guardRuns: pairs.map(([cpuMs, checkCpuMs]) => ({ cpuMs, checkCpuMs, errors: 0 })) });

describe('the regression guard', () => {
  it('when the check runs at the reference speed, then the raw overhead is compared, and the smallest of the repetitions stands', () => {
    const guard = regressionGuard(runs([4.6, 1.3], [4.1, 1.3], [4.9, 1.3]), limits);
    expect(guard).toMatchObject({ ok: true, overheadMs: 2.8, scaledOverheadMs: 2.8 });
    expect(regressionGuard(runs([4.4, 1.3], [4.5, 1.3]), limits)).toMatchObject({ ok: false, scaledOverheadMs: 3.1 });
  });

  it('when the host runs slower (the check too), then the overhead is scaled down by the same factor', () => {
    // The check at 2.6 ms: this minute runs at half speed, so 4 ms over it is 2 ms at reference speed.
    const guard = regressionGuard(runs([6.6, 2.6]), limits);
    expect(guard).toMatchObject({ ok: true, overheadMs: 4, scaledOverheadMs: 2 });
    expect(guard.message).toContain("2 ms at this machine's reference speed (the check ran 2 × its 1.3 ms)");
  });

  it('when the machine is faster than the reference, then nothing is scaled up or down: the raw figure stands', () => {
    expect(regressionGuard(runs([4.2, 1.0]), limits)).toMatchObject({ ok: false, overheadMs: 3.2, scaledOverheadMs: 3.2 });
  });

  it('when a feature doubles the cost of an upload, then the guard fails even on a slow minute', () => {
    // Today's overhead is about 2 ms at reference speed; a feature adding the check's cost again
    // (another 1.3 ms at reference speed) crosses 3 ms at any host speed.
    expect(regressionGuard(runs([1.3 + 3.3, 1.3]), limits).ok).toBe(false);
    expect(regressionGuard(runs([2.6 + 6.6, 2.6]), limits).ok).toBe(false);
  });

  it('when an upload failed, or nothing was measured, then the guard fails', () => {
    expect(regressionGuard({ guardRuns: [{ cpuMs: 3, checkCpuMs: 1.3, errors: 1 }] }, limits).ok).toBe(false);
    expect(regressionGuard({ guardRuns: [] }, limits).ok).toBe(false);
  });
});
