import { hash, verify, type Algorithm } from '@node-rs/argon2';

/*
 * argon2id at the library defaults (m=19 MiB, t=2, p=1: the OWASP minimum), ~100 ms here.
 * The parameters live inside each PHC string, so raising them later only affects new hashes.
 * `Algorithm` is a const enum that the package does not export at runtime (and
 * verbatimModuleSyntax forbids inlining), hence the literal: 2 = Argon2id.
 */
const OPTIONS = { algorithm: 2 as Algorithm.Argon2id };

/** Minimum length: long passphrases beat composition rules (NIST SP 800-63B). */
export const PASSWORD_MIN_LENGTH = 12;
/** Maximum length: bounds the hashing work an attacker can ask for. */
export const PASSWORD_MAX_LENGTH = 256;

/** Why a password was refused; the web layer maps these to translated messages. */
export type PasswordProblem = 'too_short' | 'too_long' | 'same_as_email' | 'too_common' | 'single_character';

// A tiny deny-list of what people type when forced to 12+ characters.
const COMMON = new Set([
  'passwordpassword', 'password1234', 'password12345', 'password123456', '123456789012',
  '1234567890123', 'qwertyuiopas', 'contraseña123', 'contrasena123', 'contraseña1234',
  'administrador', 'facturapi123', 'qwerty123456', '000000000000',
]);

/** Hashes a password with argon2id; returns a PHC string. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** True when `password` matches `passwordHash`; false (never throws) for a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Checks a new password; returns the first problem, or null when it is acceptable. */
export function checkPasswordPolicy(password: string, context: { email?: string | null }): PasswordProblem | null {
  // Count code points, not UTF-16 units, so "ñ" and emoji count as one character each.
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (length > PASSWORD_MAX_LENGTH) return 'too_long';
  const lowered = password.trim().toLowerCase();
  const email = context.email?.trim().toLowerCase();
  if (email && (lowered === email || lowered === email.split('@')[0])) return 'same_as_email';
  if (new Set(lowered).size === 1) return 'single_character';
  if (COMMON.has(lowered)) return 'too_common';
  return null;
}
