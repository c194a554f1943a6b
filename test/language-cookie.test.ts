/**
 * The language cookie's Secure flag follows the public URL (issue 9, item 18's cookie point, for
 * the cookie this module sets): behind an https PUBLIC_URL the browser must never send it over
 * plain HTTP; on a plain-HTTP install (loopback) a Secure cookie would not be kept at all.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app-harness.js';
import { httpRequest } from '../tools/raw-http.js';
import { FIXTURE_REFERENCE_DATE } from '../fixtures/index.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const switchCookie = async (app: TestApp) => {
  const res = await httpRequest(`${app.url}/login?lang=en`, {});
  expect(res.status).toBe(303);
  const cookie = (res.headers['set-cookie'] ?? []).find((c) => c.startsWith('lang='));
  expect(cookie).toBeDefined();
  return cookie!.split(';').map((part) => part.trim().toLowerCase());
};

describe('when the language is switched', () => {
  it('then behind an https PUBLIC_URL the lang cookie is Secure (and HttpOnly, SameSite=Lax)', async () => {
    t = await startTestApp({ now: FIXTURE_REFERENCE_DATE, env: { PUBLIC_URL: 'https://csd.example.test', TRUST_PROXY_HOPS: '1' } });
    const attributes = await switchCookie(t);
    expect(attributes).toEqual(expect.arrayContaining(['lang=en', 'secure', 'httponly', 'samesite=lax']));
  });

  it('then with a plain-HTTP PUBLIC_URL the lang cookie is not Secure', async () => {
    t = await startTestApp({ now: FIXTURE_REFERENCE_DATE, env: { PUBLIC_URL: 'http://127.0.0.1:3000' } });
    const attributes = await switchCookie(t);
    expect(attributes).toContain('lang=en');
    expect(attributes).not.toContain('secure');
  });
});
