import { describe, expect, it } from 'vitest';
import { FIXTURE_REFERENCE_DATE, generateSatPair } from '../../fixtures/index.js';
import { decryptPrivateKey, inspectCsd } from './index.js';

const now = FIXTURE_REFERENCE_DATE;
const pair = generateSatPair();
const codeOf = (password: string): string => {
  const result = inspectCsd({ ...pair, password, now });
  return result.ok ? 'ok' : (result.problems[0]?.code ?? 'none');
};

describe('wrong passwords', () => {
  it('when 600 distinct wrong passwords are tried on one key, then every one is private_key_password_incorrect', () => {
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 600; i += 1) {
      const code = codeOf(`${i}-contraseña-${i * 7919}`);
      outcomes.set(code, (outcomes.get(code) ?? 0) + 1);
    }
    expect(Object.fromEntries(outcomes)).toEqual({ private_key_password_incorrect: 600 });
  });

  it('when a wrong password happens to leave valid padding (not BAD_DECRYPT), then it is still password_incorrect', () => {
    // ~0.3–0.5% of wrong passwords give an ASN.1 error instead of BAD_DECRYPT (csd.md §7.2).
    // Search until one shows up; 5000 tries miss it with probability below 1e-6.
    let found: { password: string; errorCode: string } | undefined;
    for (let i = 0; i < 5000 && !found; i += 1) {
      const password = `probe-${i}`;
      const decryption = decryptPrivateKey(pair.key, password);
      if (!decryption.ok && decryption.errorCode !== 'ERR_OSSL_BAD_DECRYPT') found = { password, errorCode: decryption.errorCode };
    }
    expect(found?.errorCode).toMatch(/^ERR_OSSL_ASN1_/);
    expect(codeOf(found?.password ?? '')).toBe('private_key_password_incorrect');
  });

  const nearMisses: Array<[string, string]> = [
    ['a trailing newline', `${pair.password}\n`],
    ['a trailing space', `${pair.password} `],
    ['a leading space', ` ${pair.password}`],
    ['a BOM', `\ufeff${pair.password}`],
    ['a different case', pair.password.toUpperCase()],
    ['one character short', pair.password.slice(0, -1)],
  ];
  it.each(nearMisses)('when the password has %s, then it is incorrect (never trimmed or normalised)', (_name, password) => {
    expect(codeOf(password)).toBe('private_key_password_incorrect');
  });
});

describe('right passwords', () => {
  const passwords: Array<[string, string]> = [
    ['spaces at both ends', '  con espacios  '],
    ['only spaces (a password, not a missing one)', '   '],
    ['non-ASCII characters (sent as UTF-8)', 'Contraseña-Ñandú-€'],
    ['a single character', 'x'],
    ['128 characters', 'p'.repeat(128)],
  ];
  it.each(passwords)('when the key was encrypted with a password with %s, then that exact password opens it', (_name, password) => {
    const own = generateSatPair({ password });
    expect(inspectCsd({ ...own, now }).ok).toBe(true);
    expect(inspectCsd({ ...own, password: password.trim() === password ? `${password}!` : password.trim(), now }).ok).toBe(false);
  });
});
