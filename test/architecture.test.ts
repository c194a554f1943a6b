/**
 * Issue 15, point 6: the layering README's "Project layout" describes, kept honest. Runs
 * dependency-cruiser with the repository's rules (.dependency-cruiser.cjs: no import cycle,
 * nothing imports the web layer, use cases return codes rather than words, src never imports the
 * test tooling, the emulator stands apart…) and the TypeScript config, over every folder with
 * code, and fails listing each violation as "rule: from → to".
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseConfig from 'dependency-cruiser/config-utl/extract-depcruise-config';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FOLDERS = ['src', 'emulator', 'fixtures', 'tools', 'scripts', 'test'];

/** One line per violation; a cycle names its whole loop. */
export function describeViolation(violation: IViolation): string {
  const to = violation.cycle?.length ? violation.cycle.map((step) => step.name).join(' → ') : violation.to;
  return `${violation.rule.name}: ${violation.from} → ${to}`;
}

/** Cruises `folders` (relative to the repository) with the repository's rules; returns the violations. */
export async function layeringViolations(folders: string[] = FOLDERS): Promise<string[]> {
  const ruleSet = await extractDepcruiseConfig(path.join(ROOT, '.dependency-cruiser.cjs'));
  // The folders, the rules' paths and the tsconfig are the repository's, wherever vitest runs from.
  const tsConfig = path.join(ROOT, 'tsconfig.json');
  ruleSet.options = { ...ruleSet.options, baseDir: ROOT, tsConfig: { fileName: tsConfig } };
  const result = await cruise(folders, { validate: true, ruleSet, outputType: 'json' }, undefined, { tsConfig: extractTSConfig(tsConfig) });
  const output = (typeof result.output === 'string' ? JSON.parse(result.output) : result.output) as ICruiseResult;
  return output.summary.violations.map(describeViolation);
}

describe('the layering (README, "Project layout")', () => {
  it('when every module is cruised with the rules, then no import breaks them', async () => {
    const violations = await layeringViolations();
    expect(violations, `\n${violations.join('\n')}\n`).toEqual([]);
  }, 120_000);
});
