import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OpenDatabase } from '../db/database.js';
import { createTestDatabase } from '../../test/support/test-database.js';

// Count argon2 verifications: an unknown email must cost the same work as a wrong password.
const verifications = vi.hoisted(() => ({ count: 0 }));
vi.mock('./password.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('./password.js')>();
  return {
    ...original,
    verifyPassword: async (hash: string, password: string) => {
      verifications.count += 1;
      return original.verifyPassword(hash, password);
    },
  };
});

const { authenticate } = await import('./auth.service.js');
const { buildUser } = await import('../../test/support/builders.js');

let opened: OpenDatabase;
beforeEach(async () => {
  opened = await createTestDatabase();
  verifications.count = 0;
});
afterEach(() => opened.close());

describe('authenticate timing', () => {
  it('verifies a password hash once even when the email is unknown or has no password', async () => {
    await buildUser(opened.db, { email: 'pending@example.com', password_hash: null });
    await authenticate(opened.db, 'nobody@example.com', 'some password 1');
    await authenticate(opened.db, 'pending@example.com', 'some password 1');
    expect(verifications.count).toBe(2);
  });
});
