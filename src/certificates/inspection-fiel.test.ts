import { afterAll, describe, expect, it } from 'vitest';
import { inspectCsd } from './inspection.js';
import { createInspectionPool } from './inspection-pool.js';
import { FIXTURE_REFERENCE_DATE, standardFixtures } from '../../fixtures/index.js';

const fx = standardFixtures(FIXTURE_REFERENCE_DATE);
const now = FIXTURE_REFERENCE_DATE;
const pool = createInspectionPool({ size: 1 });
afterAll(() => pool.close());

describe('Inspecting an e.firma (expect: FIEL)', () => {
  it('accepts a FIEL and returns its DER bytes and facts', () => {
    const inspection = inspectCsd({ ...fx.fiel, now, expect: 'FIEL' });
    expect(inspection.ok).toBe(true);
    if (inspection.ok) expect(inspection.facts).toMatchObject({ type: 'FIEL', certificateNumber: fx.fiel.certificateNumber });
  });

  it('refuses a CSD with fiel_required, and the default still refuses a FIEL with csd_required', () => {
    expect(inspectCsd({ ...fx.validCsd, now, expect: 'FIEL' })).toMatchObject({ ok: false, problems: [{ code: 'fiel_required', field: 'cer' }] });
    expect(inspectCsd({ ...fx.fiel, now })).toMatchObject({ ok: false, problems: [{ code: 'csd_required', field: 'cer' }] });
  });

  it('the worker pool carries what is expected to the worker', async () => {
    expect((await pool.inspect({ cer: fx.fiel.cer, key: fx.fiel.key, password: fx.fiel.password, now, expect: 'FIEL' })).ok).toBe(true);
    expect(await pool.inspect({ cer: fx.validCsd.cer, key: fx.validCsd.key, password: fx.validCsd.password, now, expect: 'FIEL' })).toMatchObject({ ok: false, problems: [{ code: 'fiel_required' }] });
  });
});
