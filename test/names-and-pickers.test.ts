/**
 * Issue 11, points 1, 2 and 4, through HTTP against the real app and emulator: organizations by
 * name and RFC instead of ids (audit page and CSV, People, the organization page's admins), each
 * audit event's detail as a sentence with Mexico City dates, the organization pickers' search step
 * (no JavaScript) and their JSON for the combobox, invitations refused for organizations Facturapi
 * does not know, the signed-out confirmation, the radar's days-left column and the copy button.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION_IDS } from '../emulator/index.js';
import { standardFixtures } from '../fixtures/index.js';
import { csrfFrom, startTestApp, type TestApp } from './support/app-harness.js';
import { postUpload } from './support/upload-request.js';
import { TEST_USERS } from './support/users.js';

const CAFE = DEMO_ORGANIZATION_IDS.noCertificate; // Café Altura Chiapaneca, Ana's organization
const KEMPER = DEMO_ORGANIZATION_IDS.expiresSoon; // Escuela Kemper Urgate, RFC EKU9003173C9
const UNKNOWN = 'ffffffffffffffffffffffff';

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

const mexicoDay = (date: Date, locale = 'es-MX') => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'America/Mexico_City' }).format(date);
const text = (res: { text?: string; body?: unknown }) => res.text ?? String(res.body);

describe('the audit trail names organizations and says what happened', () => {
  it('when an upload is listed, then the page shows the organization’s name and RFC and a sentence with the Mexico City date, not the id and key dump', async () => {
    t = await startTestApp();
    const fx = standardFixtures(t.clock.now());
    expect((await postUpload(await t.signIn('admin'), CAFE, fx.validCsd)).status).toBe(303);
    const support = await t.signIn('support');

    const page = await support.agent.get('/audit?action=certificate.upload');
    expect(page.status).toBe(200);
    const row = /<tr>\s*<td data-label="Fecha y hora">[\s\S]*?<\/tr>/.exec(page.text)?.[0] ?? '';
    expect(row).toContain('CAFE ALTURA CHIAPANECA');
    expect(row).toContain(fx.validCsd.rfc);
    expect(row).toContain(`El CSD ${fx.validCsd.certificateNumber} (RFC ${fx.validCsd.rfc}) quedó instalado en Facturapi; vence el ${mexicoDay(fx.validCsd.validTo)}.`);
    expect(row).not.toMatch(/result: |validTo: |certificateNumber: /);
    expect(row).not.toContain(fx.validCsd.validTo.toISOString());
    // The id stays in the link, the name is what is read.
    expect(row).toContain(`href="/organizations/${CAFE}"`);
    expect(row).not.toMatch(new RegExp(`>${CAFE}<`));

    const english = await support.agent.get('/audit?action=certificate.upload').set('Accept-Language', 'en');
    expect(english.text).toContain(`CSD ${fx.validCsd.certificateNumber} (RFC ${fx.validCsd.rfc}) was installed at Facturapi; it expires on ${mexicoDay(fx.validCsd.validTo, 'en-US')}.`);
  });

  it('when an upload gives an organization its RFC, then the names shown next are not the ones kept from before it', async () => {
    t = await startTestApp();
    const fx = standardFixtures(t.clock.now());
    const support = await t.signIn('support');
    await postUpload(support, DEMO_ORGANIZATION_IDS.noCertificateEither, { ...fx.validCsd, password: 'no-es-esta' });
    const before = await support.agent.get('/audit?action=certificate.upload');
    expect(before.text).not.toContain(`<span class="mono muted">${fx.validCsd.rfc}</span>`);
    expect((await postUpload(support, DEMO_ORGANIZATION_IDS.noCertificateEither, fx.validCsd)).status).toBe(303);
    const after = await support.agent.get('/audit?action=certificate.upload');
    expect(after.text).toContain(`DULCES TIPICOS DE PUEBLA</a> <span class="mono muted">${fx.validCsd.rfc}</span>`);
  });

  it('when a refused upload is listed, then its problem is in words, and its code stays readable for support', async () => {
    t = await startTestApp();
    const fx = standardFixtures(t.clock.now());
    await postUpload(await t.signIn('admin'), CAFE, { ...fx.validCsd, password: 'no-es-esta' });
    const page = await (await t.signIn('support')).agent.get('/audit?outcome=failure');
    expect(page.text).toContain('no se envió a Facturapi: la contraseña no abre la llave privada.');
    expect(page.text).toContain('data-codes="private_key_password_incorrect"');
  });

  it('when the CSV is exported, then it keeps the id, UTC time and raw detail and adds the name, the RFC and the sentence', async () => {
    t = await startTestApp();
    const fx = standardFixtures(t.clock.now());
    await postUpload(await t.signIn('admin'), CAFE, fx.validCsd);
    const csv = text(await (await t.signIn('support')).agent.get('/audit.csv?action=certificate.upload').buffer(true));
    const [header, line] = csv.replace(/^\uFEFF/, '').split('\r\n');
    // The columns there were stay in place; the names and the sentence come after them.
    expect(header).toBe('Fecha y hora,UTC,Persona,Rol,Organización,Acción,Resultado,IP,ID de solicitud,Detalle,Nombre de la organización,RFC,Descripción');
    expect(line).toContain(`,${CAFE},Carga de CSD,Correcto,`);
    expect(line).toContain(`validTo: ${fx.validCsd.validTo.toISOString()}`);
    expect(line).toMatch(new RegExp(`,CAFE ALTURA CHIAPANECA,${fx.validCsd.rfc},"?El CSD ${fx.validCsd.certificateNumber} \\(RFC ${fx.validCsd.rfc}\\) quedó instalado en Facturapi`));
  });

  it('when the audit page is opened again, then the names come from the short cache, not from Facturapi again', async () => {
    t = await startTestApp();
    const support = await t.signIn('support');
    const lookups = () => t.emulator.received.filter((r) => r.method === 'GET' && /^\/v2\/organizations\/[0-9a-f]{24}$/.test(r.path)).length;
    await support.agent.get('/audit');
    const first = lookups();
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(3); // one per organization named on the page (the seeded users' two), not one per row
    await support.agent.get('/audit');
    await support.agent.get('/people');
    expect(lookups()).toBe(first);
  });

  it('when Facturapi hangs, then the audit page still answers, showing ids instead of names', async () => {
    t = await startTestApp({ timeoutMs: 20_000 });
    await postUpload(await t.signIn('admin'), CAFE, { ...standardFixtures(t.clock.now()).validCsd, password: 'no-es-esta' });
    const support = await t.signIn('support');
    t.emulator.setFault({ kind: 'hang' }, { match: { method: 'GET' } });
    const page = await support.agent.get('/audit?outcome=failure');
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<span class="mono">${CAFE}</span>`);
    // Once Facturapi has failed, the next pages do not wait for it again (the pause), and still answer.
    const again = await support.agent.get('/audit.csv?outcome=failure').buffer(true);
    expect(again.status).toBe(200);
    expect(text(again)).toMatch(new RegExp(`,${CAFE},Carga de CSD,.*,,,"?El CSD`));
    t.emulator.setFault(null);
  });
});

describe('People and the organization page name organizations and admins', () => {
  it('when support opens People, then each membership shows the organization’s name', async () => {
    t = await startTestApp();
    const page = await (await t.signIn('support')).agent.get('/people');
    expect(page.text).toContain(`<a href="/organizations/${CAFE}">CAFE ALTURA CHIAPANECA</a>`);
    expect(page.text).toContain('ABARROTES GOMEZ &amp; HIJOS');
  });

  it('when an organization page is opened, then it lists its account admins', async () => {
    t = await startTestApp();
    const page = await (await t.signIn('support')).agent.get(`/organizations/${CAFE}`);
    const admins = /<section class="panel" aria-labelledby="admins-title" id="admins">[\s\S]*?<\/section>/.exec(page.text)?.[0] ?? '';
    expect(admins).toContain(TEST_USERS.admin.name);
    expect(admins).toContain(TEST_USERS.admin.email);
    expect(admins).not.toContain(TEST_USERS.otherAdmin.email);
  });
});

describe('choosing an organization by name or RFC', () => {
  it('when support searches in the invitation form without JavaScript, then the matches come back to choose from, and the chosen one is invited', async () => {
    t = await startTestApp();
    const support = await t.signIn('support');
    const found = await support.agent.get('/people?orgq=kemper');
    expect(found.status).toBe(200);
    expect(found.text).toContain(`<input type="radio" name="organizationId" value="${KEMPER}" checked>`);
    expect(found.text).toContain('ESCUELA KEMPER URGATE');
    expect(t.emulator.received.some((r) => r.method === 'GET' && r.path === '/v2/organizations' && r.query.q === 'kemper')).toBe(true);

    const invited = await support.agent.post('/people/invite').type('form').send({ _csrf: csrfFrom(found.text), organizationId: KEMPER, email: 'luis@example.test', name: 'Luis' });
    expect(invited.status).toBe(200);
    expect(invited.text).toContain('/account/set-password/');
    // The trail says who got the membership by name, where it used to show a user id.
    const trail = await support.agent.get('/audit?action=membership.added');
    expect(trail.text).toContain('Persona: Luis &lt;luis@example.test&gt;.');
    expect(trail.text).toContain('ESCUELA KEMPER URGATE');
  });

  it('when Facturapi is down during a search, then People and the audit trail still answer and say the search could not be made', async () => {
    t = await startTestApp();
    const support = await t.signIn('support');
    t.emulator.setFault({ kind: 'status', status: 503, json: true }, { match: { method: 'GET', pathPrefix: '/v2/organizations' } });
    for (const path of ['/people?orgq=kemper', '/audit?orgq=kemper']) {
      const res = await support.agent.get(path);
      expect(res.status, path).toBe(200);
      expect(res.text, path).toContain('No pudimos buscar en Facturapi ahora.');
    }
    // An invitation cannot be checked then: refused as unavailable (503), nothing created.
    const invite = await support.agent.post('/people/invite').type('form').send({ _csrf: support.csrf, organizationId: KEMPER, email: 'espera@example.test', name: 'Espera' });
    expect(invite.status).toBe(503);
    t.emulator.setFault(null);
    expect((await support.agent.get('/people')).text).not.toContain('espera@example.test');
  });

  it('when an invitation names an organization Facturapi does not know, then it is refused with a message and nothing is created', async () => {
    t = await startTestApp();
    const support = await t.signIn('support');
    const before = (await t.audit.query({ page: 1, pageSize: 1 })).total;
    const res = await support.agent.post('/people/invite').type('form').send({ _csrf: support.csrf, organizationId: UNKNOWN, email: 'nadie@example.test', name: 'Nadie' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Esa organización no existe en Facturapi.');
    expect(res.text).not.toContain('/account/set-password/');
    expect((await t.audit.query({ page: 1, pageSize: 1 })).total).toBe(before);
    expect((await support.agent.get('/people')).text).not.toContain('nadie@example.test');

    const none = await support.agent.post('/people/invite').type('form').send({ _csrf: support.csrf, organizationId: '', email: 'nadie@example.test', name: 'Nadie' });
    expect(none.status).toBe(400);
    expect(none.text).toContain('Busca la organización y elígela de la lista.');
  });

  it('when a membership names an organization Facturapi does not know, then it is refused too', async () => {
    t = await startTestApp();
    const support = await t.signIn('support');
    const people = await support.agent.get('/people');
    const userId = new RegExp(`/people/([0-9a-f-]{36})/memberships"`).exec(people.text)![1];
    const res = await support.agent.post(`/people/${userId}/memberships`).type('form').send({ _csrf: support.csrf, organizationId: UNKNOWN });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Esa organización no existe en Facturapi; no se agregó.');
  });

  it('when the audit filter is searched by RFC without JavaScript, then the match is offered, and choosing it filters the trail', async () => {
    t = await startTestApp();
    const support = await t.signIn('support');
    const found = await support.agent.get('/audit?orgq=EKU9003173C9');
    expect(found.text).toContain(`<input type="radio" name="organizationId" value="${KEMPER}"`);
    const filtered = await support.agent.get(`/audit?organizationId=${KEMPER}`);
    expect(filtered.text).toContain(`value="${KEMPER}" checked`);
    expect(filtered.text).toContain('0 eventos');
  });

  it('when an account admin filters the audit trail, then they choose among their own organizations by name, with no search', async () => {
    t = await startTestApp();
    const page = await (await t.signIn('admin')).agent.get('/audit');
    expect(page.text).toMatch(new RegExp(`<select id="f-org" name="organizationId">[\\s\\S]*<option value="${CAFE}" >CAFE ALTURA CHIAPANECA</option>[\\s\\S]*?</select>`));
    expect(page.text).not.toContain('data-org-picker');
  });

  it('when the combobox asks for matches, then support gets JSON with names and RFCs, and an account admin is refused', async () => {
    t = await startTestApp();
    const res = await (await t.signIn('support')).agent.get('/organizations/options?q=EKU9003173C9');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ options: [{ id: KEMPER, name: 'ESCUELA KEMPER URGATE', rfc: 'EKU9003173C9' }] });
    expect((await (await t.signIn('admin')).agent.get('/organizations/options?q=a')).status).toBe(403);
  });
});

describe('small things', () => {
  it('when a person signs out, then the login page says so', async () => {
    t = await startTestApp();
    const support = await t.signIn('support');
    const out = await support.agent.post('/logout').type('form').send({ _csrf: support.csrf });
    expect(out.status).toBe(303);
    const login = await support.agent.get(out.headers.location!);
    expect(login.text).toContain('Cerraste sesión.');
    expect((await support.agent.get('/login')).text).not.toContain('Cerraste sesión.');
  });

  it('when a one-time link is shown, then a copy button sits next to it, hidden until the script shows it', async () => {
    t = await startTestApp();
    const support = await t.signIn('support');
    const res = await support.agent.post('/people/invite').type('form').send({ _csrf: support.csrf, organizationId: KEMPER, email: 'luis@example.test', name: 'Luis' });
    expect(res.text).toMatch(/<button type="button" class="button button-small" id="copy-link" data-copy-target="issued-link"[^>]* hidden>Copiar enlace<\/button>/);
  });

  it('when the radar is shown, then each row has its days left, the same number the CSV exports', async () => {
    t = await startTestApp();
    const support = await t.signIn('support');
    const page = await support.agent.get('/radar');
    const days = [...page.text.matchAll(/<a href="\/organizations\/([0-9a-f]{24})">[\s\S]*?data-days="(-?\d*)">([^<]*)</g)].map((m) => ({ id: m[1], days: m[2], shown: m[3] }));
    expect(days.length).toBeGreaterThanOrEqual(8);
    const kemper = days.find((d) => d.id === KEMPER)!;
    expect(kemper.shown).toBe(`${kemper.days} días`);
    const csv = text(await support.agent.get('/radar.csv').buffer(true));
    for (const d of days) {
      const line = csv.split('\r\n').find((l) => l.includes(d.id!))!;
      expect(line.split(',').at(-4)).toBe(d.days); // the CSD's days; the e.firma's three columns follow
    }
  });
});
