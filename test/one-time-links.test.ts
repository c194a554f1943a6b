import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createSetupToken } from '../src/accounts/invitations.service.js';
import { DEMO_ORGANIZATION_IDS } from '../emulator/index.js';
import { csrfFrom, signInAgent, startTestApp, type TestApp } from './support/app-harness.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Opens a one-time link like a browser and submits the set-password form. */
async function useLink(url: string, link: string, fields: Record<string, string>) {
  const agent = request.agent(url);
  const opened = await agent.get(new URL(link).pathname);
  expect(opened.status).toBe(303);
  expect(opened.headers.location).toBe('/account/set-password');
  const form = await agent.get('/account/set-password');
  if (form.status !== 200) return form;
  return agent.post('/account/set-password').type('form').send({ _csrf: csrfFrom(form.text), ...fields });
}

describe('first run', () => {
  it('when no user exists, then every page says setup is required, and the setup link creates the first support account once', async () => {
    t = await startTestApp({ seedUsers: false });
    const blocked = await request(t.url).get('/login');
    expect(blocked.status).toBe(503);
    expect(blocked.text).toContain('Falta crear la primera cuenta de soporte');

    const setup = await createSetupToken(t.database.db, t.clock.now());
    const link = `${t.url}/account/set-password/${setup.token}`;
    const done = await useLink(t.url, link, { name: 'Primera Soporte', email: 'primera@example.test', password: 'first-support-pass-99', confirm: 'first-support-pass-99' });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/login');

    const again = await useLink(t.url, link, { name: 'Intrusa', email: 'intrusa@example.test', password: 'intruder-pass-99999', confirm: 'intruder-pass-99999' });
    expect(again.status).toBe(410);
    const signedIn = await signInAgent(t.url, 'primera@example.test', 'first-support-pass-99');
    expect((await signedIn.agent.get('/people')).status).toBe(200);
  });
});

describe('invitations', () => {
  async function invite(app: TestApp, email: string) {
    const support = await app.signIn('support');
    const res = await support.agent.post('/people/invite').type('form').send({ _csrf: support.csrf, email, name: 'Invitada', organizationId: DEMO_ORGANIZATION_IDS.validForYears });
    expect(res.status).toBe(200);
    const link = /value="(http[^"]+\/account\/set-password\/[^"]+)"/.exec(res.text)?.[1];
    expect(link).toBeDefined();
    return link!;
  }

  it('when an invitation is used, then the person can log in as an account admin of that organization, and the link works only once', async () => {
    t = await startTestApp();
    const link = await invite(t, 'invitada@example.test');
    const accepted = await useLink(t.url, link, { password: 'invited-pass-phrase-1', confirm: 'invited-pass-phrase-1' });
    expect(accepted.status).toBe(303);
    const second = await useLink(t.url, link, { password: 'another-pass-phrase-2', confirm: 'another-pass-phrase-2' });
    expect(second.status).toBe(410);
    expect(second.text).toContain('El enlace ya se usó');
    const admin = await signInAgent(t.url, 'invitada@example.test', 'invited-pass-phrase-1');
    expect((await admin.agent.get(`/organizations/${DEMO_ORGANIZATION_IDS.validForYears}`)).status).toBe(200);
    expect((await admin.agent.get(`/organizations/${DEMO_ORGANIZATION_IDS.expired}`)).status).toBe(403);
  });

  it('when an invitation is older than 72 hours, then it no longer works', async () => {
    t = await startTestApp();
    const link = await invite(t, 'tarde@example.test');
    t.clock.advance(72 * 3_600_000 + 1000);
    const res = await useLink(t.url, link, { password: 'late-pass-phrase-123', confirm: 'late-pass-phrase-123' });
    expect(res.status).toBe(410);
    expect(res.text).toContain('El enlace venció');
  });

  it('when the password breaks the policy, then the form says why and the link still works', async () => {
    t = await startTestApp();
    const link = await invite(t, 'corta@example.test');
    const short = await useLink(t.url, link, { password: 'short', confirm: 'short' });
    expect(short.status).toBe(400);
    expect(short.text).toContain('al menos 12 caracteres');
    const ok = await useLink(t.url, link, { password: 'long-enough-pass-1', confirm: 'long-enough-pass-1' });
    expect(ok.status).toBe(303);
  });
});

describe('the database', () => {
  it('when the app restarts on the same data folder, then accounts and the audit trail are still there', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csd-relay-restart-'));
    try {
      t = await startTestApp({ dataDir });
      await t.signIn('support');
      await t.close();
      t = await startTestApp({ dataDir });
      const again = await t.signIn('support');
      expect((await again.agent.get('/people')).status).toBe(200);
      const { total } = await t.audit.query({ action: 'login.success', page: 1, pageSize: 10 });
      expect(total).toBe(2);
    } finally {
      await t?.close();
      t = undefined;
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
