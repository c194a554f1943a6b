import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../db/database.js';
import { createTestClock, createTestDatabase } from '../../test/support/test-database.js';
import { createAuditTrail } from '../audit/audit.service.js';
import { consumeToken } from './consume-token.service.js';
import { createPasswordReset, peekToken } from './invitations.service.js';
import { findLinkId } from './one-time-tokens.js';
import { buildContext, buildUser } from '../../test/support/builders.js';

let opened: OpenDatabase;
beforeEach(async () => {
  opened = await createTestDatabase();
});
afterEach(() => opened.close());

describe('a link held by its id (what the session keeps instead of the token)', () => {
  it('peeks and is consumed like the token itself, once', async () => {
    const clock = createTestClock();
    const ana = await buildUser(opened.db, { email: 'ana@example.com' });
    const { token } = await createPasswordReset(opened.db, createAuditTrail(opened.db, { now: clock }), ana.id, buildContext(clock, { actor: null }));
    const linkId = await findLinkId(opened.db, token);
    expect(linkId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await peekToken(opened.db, { linkId: linkId! }, clock())).toMatchObject({ valid: true, purpose: 'password_reset' });
    expect(await consumeToken(opened.db, createAuditTrail(opened.db, { now: clock }), { linkId: linkId! }, { password: 'ana new passphrase' }, buildContext(clock, { actor: null }))).toMatchObject({ ok: true });
    expect(await peekToken(opened.db, { linkId: linkId! }, clock())).toEqual({ valid: false, reason: 'used' });
    // Still found once used, so the page can say so.
    expect(await findLinkId(opened.db, token)).toBe(linkId);
  });

  it('unknown or malformed tokens have no id, and an unknown id is an unknown link', async () => {
    expect(await findLinkId(opened.db, 'x'.repeat(43))).toBeNull();
    expect(await findLinkId(opened.db, '../../etc/passwd')).toBeNull();
    expect(await peekToken(opened.db, { linkId: '00000000-0000-0000-0000-000000000000' }, createTestClock()())).toEqual({ valid: false, reason: 'unknown' });
  });
});
