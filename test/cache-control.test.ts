/**
 * `Cache-Control: no-store` (issue 9, item 14): signed-in pages, the login page and the one-time
 * link pages must not be kept by the browser's cache or a proxy (the back button on a shared
 * computer, a link-issued page that shows a set-password link). Every route of the app's route
 * table is requested through HTTP, GETs as a signed-in person and anonymously, POSTs without a
 * token (their refusal pages too); static files keep their own caching.
 */
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listUsers } from '../src/accounts/users.service.js';
import { DEMO_ORGANIZATION_IDS } from '../emulator/demo-data.js';
import { csrfFrom, startTestApp, type SignedIn, type TestApp } from './support/app-harness.js';
import { FIXTURE_REFERENCE_DATE } from '../fixtures/index.js';
import { TEST_USERS } from './support/users.js';

const ORG = DEMO_ORGANIZATION_IDS.validForYears;

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/** Every `METHOD path` the app routes, read from its router (all routers are mounted at `/`). */
function routeTable(app: Express): { method: string; path: string }[] {
  const routes: { method: string; path: string }[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) for (const method of Object.keys(layer.route.methods)) routes.push({ method: method.toUpperCase(), path: layer.route.path });
      else if (layer.handle.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return routes;
}

/** Health checks and the loopback-only metrics are for machines, not people: not in scope. */
const OUT_OF_SCOPE = new Set(['/healthz', '/readyz', '/metrics', '/metrics/reset']);

let t: TestApp;
let support: SignedIn;
let routes: { method: string; path: string }[];
let userId: string;

const concrete = (path: string) => path.replace(':organizationId', ORG).replace(':userId', userId).replace(':token', 'a'.repeat(43));

beforeAll(async () => {
  t = await startTestApp({ now: FIXTURE_REFERENCE_DATE });
  support = await t.signIn('support');
  userId = (await listUsers(t.database.db)).find((u) => u.email === TEST_USERS.admin.email)!.id;
  routes = routeTable(t.server.listeners('request')[0] as Express).filter((r) => !OUT_OF_SCOPE.has(r.path));
});
afterAll(async () => {
  await t?.close();
});

describe('when any page of the app is requested', () => {
  it('then the route table was read (the checks below have routes to check)', () => {
    expect(routes.length).toBeGreaterThanOrEqual(20);
    expect(routes).toEqual(expect.arrayContaining([{ method: 'GET', path: '/login' }, { method: 'GET', path: '/account/set-password/:token' }, { method: 'POST', path: '/people/invite' }]));
  });

  it('then every GET route answers the signed-in person with no-store', async () => {
    const missing: string[] = [];
    for (const route of routes.filter((r) => r.method === 'GET')) {
      const res = await support.agent.get(concrete(route.path)).set('Accept', 'text/html');
      if (!/\bno-store\b/.test(res.headers['cache-control'] ?? '')) missing.push(`${route.path} (${res.status}: ${res.headers['cache-control'] ?? 'none'})`);
    }
    expect(missing).toEqual([]);
  });

  it('then every GET route answers an anonymous visitor with no-store (the login page, one-time links, the redirects to login)', async () => {
    const missing: string[] = [];
    for (const route of routes.filter((r) => r.method === 'GET')) {
      const res = await request(t.url).get(concrete(route.path)).set('Accept', 'text/html');
      if (!/\bno-store\b/.test(res.headers['cache-control'] ?? '')) missing.push(`${route.path} (${res.status}: ${res.headers['cache-control'] ?? 'none'})`);
    }
    expect(missing).toEqual([]);
  });

  it('then every POST route answers with no-store, refusals included', async () => {
    const missing: string[] = [];
    for (const route of routes.filter((r) => r.method === 'POST' && r.path !== '/logout')) {
      const res = await support.agent.post(concrete(route.path)).type('form').send({}).set('Accept', 'text/html');
      if (!/\bno-store\b/.test(res.headers['cache-control'] ?? '')) missing.push(`${route.path} (${res.status}: ${res.headers['cache-control'] ?? 'none'})`);
    }
    expect(missing).toEqual([]);
  });

  it('then the pages that show a one-time link, and the set-password form, are no-store', async () => {
    const invite = await support.agent.post('/people/invite').type('form').send({ _csrf: support.csrf, email: 'cache@example.test', name: 'Cache', organizationId: ORG });
    expect(invite.status).toBe(200);
    expect(invite.text).toContain('/account/set-password/');
    expect(invite.headers['cache-control']).toMatch(/\bno-store\b/);

    const token = /\/account\/set-password\/([A-Za-z0-9_-]{20,})/.exec(invite.text)![1]!;
    const visitor = request.agent(t.url);
    const opened = await visitor.get(`/account/set-password/${token}`);
    expect({ status: opened.status, cacheControl: opened.headers['cache-control'] }).toEqual({ status: 303, cacheControl: expect.stringMatching(/\bno-store\b/) });
    const form = await visitor.get('/account/set-password');
    expect(form.status).toBe(200);
    csrfFrom(form.text);
    expect(form.headers['cache-control']).toMatch(/\bno-store\b/);
  });

  it('then the login page is no-store', async () => {
    const res = await request(t.url).get('/login');
    expect({ status: res.status, cacheControl: res.headers['cache-control'] }).toEqual({ status: 200, cacheControl: expect.stringMatching(/\bno-store\b/) });
  });

  it('then static files keep their own caching', async () => {
    for (const file of ['/public/app.css', '/public/app.js']) {
      const res = await request(t.url).get(file);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toMatch(/max-age=/);
      expect(res.headers['cache-control']).not.toMatch(/no-store/);
    }
  });
});
