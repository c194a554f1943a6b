/**
 * Issue 10, point 8 and issue 11, point 4, through HTTP: one-day counts read "1 día / 1 day",
 * and a time ending in "p.m." is never followed by a second period (the invitation page said
 * "vence el 17 ene 2026, 6:00 p.m.. No se volverá a mostrar.").
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csrfFrom, DEMO_ORGANIZATION_IDS, startTestApp, type TestApp } from './support/app-harness.js';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp(); // 14 Jan 2026, 18:00 in Mexico City: invitations expire 72 h later, at 6:00 p.m.
});
afterEach(async () => {
  await t.close();
});

async function invite(lang: 'es' | 'en', email: string) {
  const support = await t.signIn('support');
  const people = await support.agent.get('/people').set('Accept-Language', lang);
  return support.agent
    .post('/people/invite')
    .set('Accept-Language', lang)
    .type('form')
    .send({ _csrf: csrfFrom(people.text), email, name: 'Luis Nuevo', organizationId: DEMO_ORGANIZATION_IDS.noCertificate });
}

describe('when support invites a person and the link expires in the afternoon', () => {
  it('then the Spanish page says "6:00 p.m. No se…" with one period', async () => {
    const res = await invite('es', 'luis@example.test');
    expect(res.status).toBeLessThan(400);
    const text = res.text.replace(/\s+/g, ' ');
    expect(text).toMatch(/vence el 17 ene 2026, 6:00 p\.\s?m\. No se volverá a mostrar\./);
    expect(text).not.toMatch(/[ap]\.\s?m\.\./);
  });

  it('then the English page says "6:00 PM. It will not…"', async () => {
    const res = await invite('en', 'lucas@example.test');
    const text = res.text.replace(/\s+/g, ' ');
    expect(text).toMatch(/expires on Jan 17, 2026, 6:00\s?PM\. It will not be shown again\./);
    expect(text).not.toContain('..');
  });
});
