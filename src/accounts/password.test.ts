import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './password.js';

describe('password hashing', () => {
  it('produces an argon2id hash that verifies the same password and no other', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(stored, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(stored, 'correct horse batterY')).toBe(false);
  });

  it('salts each hash, so the same password hashes differently twice', async () => {
    expect(await hashPassword('same password 1')).not.toBe(await hashPassword('same password 1'));
  });

  it('treats a malformed stored hash as a mismatch instead of throwing', async () => {
    expect(await verifyPassword('not-a-hash', 'whatever password')).toBe(false);
  });
});

describe('password policy', () => {
  const email = 'ana.lopez@example.com';

  it('accepts a long enough password unrelated to the email', () => {
    expect(checkPasswordPolicy('mi casa es azul 42', { email })).toBeNull();
  });

  it('refuses 11 characters and accepts 12', () => {
    expect(checkPasswordPolicy('abcdefghijk', { email })).toBe('too_short');
    expect(checkPasswordPolicy('abcdefghijkl', { email })).toBeNull();
  });

  it('counts accented characters once each', () => {
    expect(checkPasswordPolicy('ñññññññññññx'.slice(0, 11), { email })).toBe('too_short');
    expect(checkPasswordPolicy('ñandú ñandú!', { email })).toBeNull();
  });

  it('refuses more than 256 characters', () => {
    expect(checkPasswordPolicy('ab'.repeat(128), { email })).toBeNull();
    expect(checkPasswordPolicy('ab'.repeat(128) + 'c', { email })).toBe('too_long');
  });

  it('refuses the email or its local part, in any case', () => {
    expect(checkPasswordPolicy('ANA.LOPEZ@example.com', { email })).toBe('same_as_email');
    expect(checkPasswordPolicy('Ana.Lopez.Perez', { email: 'ana.lopez.perez@example.com' })).toBe('same_as_email');
  });

  it('refuses one repeated character and common choices', () => {
    expect(checkPasswordPolicy('aaaaaaaaaaaaaa', { email })).toBe('single_character');
    expect(checkPasswordPolicy('Password1234', { email })).toBe('too_common');
  });
});
