/**
 * The unsubscribe link of a reminder: `<user id>.<HMAC>`, signed with a key derived from the
 * session secret, so it works without login and without storing anything. It never expires (an
 * old e-mail's link still stops the reminders) and does only that one thing; it is still a
 * secret of its recipient: the stored copy of the e-mail masks it and the access log redacts it.
 *
 * An organization's reminder contact (an address, no account) gets `<organization id>.<address,
 * base64url>.<HMAC>` under a key of its own (another purpose string), so neither kind of token
 * stands in for the other. The address is in the token, so a link from an old e-mail of a
 * replaced contact is still recognised as ours and can say the address is no longer the contact.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isOrganizationId } from '../facturapi/organization-id.js';

const PURPOSE = 'csd-relay reminder unsubscribe v1';
const CONTACT_PURPOSE = 'csd-relay reminder contact unsubscribe v1';
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** 24 + 1 + base64url of a 254-byte address (339) + 1 + 43, with room. */
const CONTACT_TOKEN_MAX = 420;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface UnsubscribeTokens {
  issue(userId: string): string;
  /** The user id the token was issued for, or null when it is not one of ours. */
  verify(token: unknown): string | null;
  issueForContact(organizationId: string, email: string): string;
  /** The organization and address the contact's token was issued for, or null when it is not one of ours. */
  verifyContact(token: unknown): { organizationId: string; email: string } | null;
}

const sameMac = (given: string, wanted: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(wanted);
  return a.length === b.length && timingSafeEqual(a, b);
};

export function unsubscribeTokens(sessionSecret: string): UnsubscribeTokens {
  const key = createHmac('sha256', sessionSecret).update(PURPOSE).digest();
  const sign = (userId: string) => createHmac('sha256', key).update(userId).digest('base64url');
  const contactKey = createHmac('sha256', sessionSecret).update(CONTACT_PURPOSE).digest();
  // Over the encoded pair: neither part contains a '.', so the signed text names one pair only.
  const signContact = (payload: string) => createHmac('sha256', contactKey).update(payload).digest('base64url');
  return {
    issue: (userId) => `${userId}.${sign(userId)}`,
    verify(token) {
      if (typeof token !== 'string' || token.length > 100) return null;
      const [userId = '', mac = '', ...rest] = token.split('.');
      if (rest.length > 0 || !UUID.test(userId)) return null;
      return sameMac(mac, sign(userId)) ? userId : null;
    },
    issueForContact(organizationId, email) {
      const payload = `${organizationId}.${Buffer.from(email, 'utf8').toString('base64url')}`;
      return `${payload}.${signContact(payload)}`;
    },
    verifyContact(token) {
      if (typeof token !== 'string' || token.length > CONTACT_TOKEN_MAX) return null;
      const [organizationId = '', encoded = '', mac = '', ...rest] = token.split('.');
      if (rest.length > 0 || !isOrganizationId(organizationId) || !BASE64URL.test(encoded)) return null;
      if (!sameMac(mac, signContact(`${organizationId}.${encoded}`))) return null;
      return { organizationId, email: Buffer.from(encoded, 'base64url').toString('utf8') };
    },
  };
}

/** The link in the e-mail. */
export function unsubscribeLink(publicUrl: string, token: string): string {
  return `${publicUrl}/reminders/unsubscribe/${token}`;
}

/** The link in a reminder contact's e-mail. */
export function contactUnsubscribeLink(publicUrl: string, token: string): string {
  return `${publicUrl}/reminders/contact-unsubscribe/${token}`;
}
