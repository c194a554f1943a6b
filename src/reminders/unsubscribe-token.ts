/**
 * The unsubscribe link of a reminder: `<user id>.<HMAC>`, signed with a key derived from the
 * session secret, so it works without login and without storing anything. It never expires (an
 * old e-mail's link still stops the reminders) and does only that one thing; it is still a
 * secret of its recipient: the stored copy of the e-mail masks it and the access log redacts it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const PURPOSE = 'csd-relay reminder unsubscribe v1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface UnsubscribeTokens {
  issue(userId: string): string;
  /** The user id the token was issued for, or null when it is not one of ours. */
  verify(token: unknown): string | null;
}

export function unsubscribeTokens(sessionSecret: string): UnsubscribeTokens {
  const key = createHmac('sha256', sessionSecret).update(PURPOSE).digest();
  const sign = (userId: string) => createHmac('sha256', key).update(userId).digest('base64url');
  return {
    issue: (userId) => `${userId}.${sign(userId)}`,
    verify(token) {
      if (typeof token !== 'string' || token.length > 100) return null;
      const [userId = '', mac = '', ...rest] = token.split('.');
      if (rest.length > 0 || !UUID.test(userId)) return null;
      const given = Buffer.from(mac);
      const wanted = Buffer.from(sign(userId));
      return given.length === wanted.length && timingSafeEqual(given, wanted) ? userId : null;
    },
  };
}

/** The link in the e-mail. */
export function unsubscribeLink(publicUrl: string, token: string): string {
  return `${publicUrl}/reminders/unsubscribe/${token}`;
}
