/**
 * Issue 9 item 6: nobody can lock a known user out, and password guessing stays bounded.
 * Through HTTP against the real app behind one trusted proxy hop: each attempt carries its
 * client address in X-Forwarded-For. The defaults are under test (5 failures per e-mail and
 * client per 15 minutes; 20 per e-mail per hour from all other clients, then waits of 1 s, 2 s,
 * 4 s, … capped at 15 minutes). Time moves only by the test clock, never by sleeping.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { csrfFrom, startTestApp, type TestApp } from './support/app-harness.js';
import { TEST_USERS } from './support/users.js';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp({ env: { TRUST_PROXY_HOPS: '1' } });
});
afterEach(async () => {
  await t.close();
});

const victim = TEST_USERS.admin;
const VICTIM_IP = '198.51.100.7';
const MINUTE = 60_000;

let addresses = 0;
/** A client address not used before in this file (documentation ranges would run out). */
const freshIp = () => {
  addresses += 1;
  return `10.${(addresses >> 16) & 255}.${(addresses >> 8) & 255}.${addresses & 255}`;
};

/** The login form as a browser at `ip` gets it; `post` sends it. */
async function loginForm(ip: string) {
  const agent = request.agent(t.url);
  const page = await agent.get('/login').set('X-Forwarded-For', ip);
  const csrf = csrfFrom(page.text);
  return { post: (email: string, password: string) => agent.post('/login').set('X-Forwarded-For', ip).type('form').send({ _csrf: csrf, email, password }) };
}

/** One login as a browser would make it from `ip`: the form, then the POST. */
async function attempt(ip: string, email: string, password: string) {
  return (await loginForm(ip)).post(email, password);
}

const wrong = (i: number) => `wrong-guess-${i}-password`;
const retryAfter = (res: { headers: Record<string, unknown> }) => Number(res.headers['retry-after']);

async function lockouts(): Promise<Array<{ ip: string | null; detail: Record<string, unknown> }>> {
  const rows = await t.database.db.selectFrom('audit_events').select(['ip', 'detail']).where('action', '=', 'login.lockout').execute();
  return rows.map((r) => ({ ip: r.ip, detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : {} }));
}

/** Statuses of `count` wrong-password attempts for `email`, `perClient` from each fresh address. */
async function attack(email: string, count: number, perClient: number): Promise<number[]> {
  const statuses: number[] = [];
  let ip = freshIp();
  for (let i = 0; i < count; i++) {
    if (i > 0 && i % perClient === 0) ip = freshIp();
    statuses.push((await attempt(ip, email, wrong(i))).status);
  }
  return statuses;
}

const tally = (statuses: number[]) => ({ checked: statuses.filter((s) => s === 401).length, refused: statuses.filter((s) => s === 429).length });

describe('when an attacker fails logins for a known e-mail from many addresses', () => {
  it('then the person still signs in from their own address (100 wrong passwords from 20 addresses × 5)', async () => {
    expect((await attempt(VICTIM_IP, victim.email, victim.password)).status).toBe(303);
    t.clock.advance(24 * 60 * MINUTE);

    const statuses = await attack(victim.email, 100, 5);
    // Only the first 20 (the per-e-mail threshold) were checked; the rest must wait.
    expect(tally(statuses)).toEqual({ checked: 20, refused: 80 });

    const res = await attempt(VICTIM_IP, victim.email, victim.password);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
  });

  it('then someone on an address never used for that e-mail waits only the current delay, capped at 15 minutes', async () => {
    await attack(victim.email, 100, 5);
    const newcomer = freshIp();
    const refused = await attempt(newcomer, victim.email, victim.password);
    expect(refused.status).toBe(429);
    expect(retryAfter(refused)).toBeGreaterThanOrEqual(1);
    expect(retryAfter(refused)).toBeLessThanOrEqual(15 * 60);
    t.clock.advance(retryAfter(refused) * 1000);
    expect((await attempt(newcomer, victim.email, victim.password)).status).toBe(303);
  });
});

describe('when one address guesses a password', () => {
  it('then it is refused after 5 failures for 15 minutes, other addresses are not, and a success clears its count', async () => {
    const guesser = freshIp();
    for (let i = 0; i < 5; i++) expect((await attempt(guesser, victim.email, wrong(i))).status).toBe(401);
    const blocked = await attempt(guesser, victim.email, victim.password);
    expect(blocked.status).toBe(429);
    expect(retryAfter(blocked)).toBe(15 * 60);
    expect(blocked.text).toContain('Demasiados intentos');

    // The same e-mail from another address is not affected by this address's failures.
    expect((await attempt(VICTIM_IP, victim.email, victim.password)).status).toBe(303);

    t.clock.advance(10 * MINUTE);
    const stillBlocked = await attempt(guesser, victim.email, victim.password);
    expect(stillBlocked.status).toBe(429);
    expect(retryAfter(stillBlocked)).toBe(5 * 60);

    t.clock.advance(5 * MINUTE);
    expect((await attempt(guesser, victim.email, victim.password)).status).toBe(303);
    // The success cleared the address's count: five fresh failures are checked again.
    for (let i = 0; i < 5; i++) expect((await attempt(guesser, victim.email, wrong(i))).status).toBe(401);
    expect((await attempt(guesser, victim.email, wrong(5))).status).toBe(429);
  });
});

describe('when many addresses guess as fast as they are let', () => {
  it('then at most 32 passwords are checked per e-mail in an hour, the waits double up to 15 minutes, and the person still gets in', async () => {
    expect((await attempt(VICTIM_IP, victim.email, victim.password)).status).toBe(303);
    const start = t.clock.now().getTime();
    const hourly: number[] = [];
    const waits: number[] = [];
    for (let hour = 1; hour <= 2; hour++) {
      let checked = 0;
      // The best attacker: a fresh address for every try, retrying exactly when told to.
      while (t.clock.now().getTime() - start < hour * 60 * MINUTE) {
        const res = await attempt(freshIp(), victim.email, wrong(checked));
        if (res.status === 401) {
          checked += 1;
          continue;
        }
        expect(res.status).toBe(429);
        if (hour === 1) waits.push(retryAfter(res));
        t.clock.advance(retryAfter(res) * 1000);
      }
      hourly.push(checked);
      // During the attack the person's own address is never refused.
      expect((await attempt(VICTIM_IP, victim.email, victim.password)).status).toBe(303);
    }
    expect(hourly).toEqual([32, 32]);
    // 20 free, then 1 s, 2 s, 4 s … 512 s, then the 15-minute cap; the last wait runs to the hour's end.
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 3600 - 2823]);
  });
});

describe('when the guesses arrive all at once', () => {
  it('then one address still gets only 5 passwords checked, and all addresses together only the 20 of the e-mail', async () => {
    const guesser = freshIp();
    const fromOne = await Promise.all(Array.from({ length: 15 }, () => loginForm(guesser)));
    const one = await Promise.all(fromOne.map((form, i) => form.post(victim.email, wrong(i)).then((r) => r.status)));
    expect(tally(one)).toEqual({ checked: 5, refused: 10 });

    const fromMany = await Promise.all(Array.from({ length: 30 }, () => loginForm(freshIp())));
    const many = await Promise.all(fromMany.map((form, i) => form.post(victim.email, wrong(i)).then((r) => r.status)));
    expect(tally(many)).toEqual({ checked: 15, refused: 15 });
  });
});

describe('when the e-mail is typed with other casing, spacing or invisible characters', () => {
  const variants = (email: string) => [
    `  ${email.toUpperCase()} `,
    `\u00a0${email}\t`,
    `${email.slice(0, 3)}\u200b${email.slice(3)}`,
    // Full-width letters: NFKC folds them to ASCII.
    [...email].map((c) => (c >= '!' && c <= '~' ? String.fromCodePoint(c.codePointAt(0)! + 0xfee0) : c)).join(''),
    `\ufeff${email.replace('@', '@\u2060')}`,
  ];

  it('then one address trying the variants is refused as if it had typed the same e-mail', async () => {
    const guesser = freshIp();
    for (const [i, email] of variants(victim.email).entries()) expect((await attempt(guesser, email, wrong(i))).status).toBe(401);
    expect((await attempt(guesser, victim.email, victim.password)).status).toBe(429);
  });

  it('then many addresses trying the variants share the one per-e-mail budget', async () => {
    const all = variants(victim.email);
    for (let i = 0; i < 20; i++) expect((await attempt(freshIp(), all[i % all.length]!, wrong(i))).status).toBe(401);
    expect((await attempt(freshIp(), victim.email, wrong(20))).status).toBe(429);
  });
});

describe('when a lockout refuses many attempts', () => {
  it('then one address locked out is audited once, not once per refused attempt', async () => {
    const guesser = freshIp();
    for (let i = 0; i < 5; i++) await attempt(guesser, victim.email, wrong(i));
    for (let i = 0; i < 10; i++) expect((await attempt(guesser, victim.email, wrong(i))).status).toBe(429);
    const events = await lockouts();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ ip: guesser, detail: { email: victim.email, reason: 'client_limit' } });
  });

  it('then the e-mail entering its delays is audited once however many addresses are refused', async () => {
    await attack(victim.email, 20, 1);
    for (let i = 0; i < 10; i++) expect((await attempt(freshIp(), victim.email, wrong(i))).status).toBe(429);
    const events = await lockouts();
    expect(events).toHaveLength(1);
    expect(events[0]!.detail).toMatchObject({ email: victim.email, reason: 'email_limit' });
  });
});
