import { describe, expect, it } from 'vitest';
import { ClockedMemoryStore } from './clocked-memory-store.js';
import { checksPerEmailWindow, cumulativeDelayMs, throttleEmail } from './login-throttle.js';

describe('throttleEmail', () => {
  it('folds casing, spaces, invisible characters and full-width letters into one address', () => {
    const variants = [
      'admin@example.test',
      '  ADMIN@Example.TEST ',
      '\u00a0admin@example.test\t',
      'adm\u200bin@example.test',
      '\ufeffadmin@\u2060example.test',
      'ａｄｍｉｎ＠ｅｘａｍｐｌｅ．ｔｅｓｔ',
      'admin @ example.test',
      'ADMIN\u00ad@EXAMPLE.TEST',
    ];
    expect(new Set(variants.map(throttleEmail))).toEqual(new Set(['admin@example.test']));
  });

  it('keeps different addresses apart and treats a missing field as the empty address', () => {
    expect(throttleEmail('admin2@example.test')).not.toBe(throttleEmail('admin@example.test'));
    expect(throttleEmail(undefined)).toBe('');
    expect(throttleEmail(['a@b.c'])).toBe('');
    expect(throttleEmail('x'.repeat(1000))).toHaveLength(254);
  });
});

describe('the per-e-mail delays', () => {
  const defaults = { maxFailuresPerEmail: 20, emailWindowMs: 3_600_000, delayBaseMs: 1000, delayMaxMs: 900_000 };

  it('double from the base and then grow by the cap', () => {
    const opens = Array.from({ length: 13 }, (_, i) => cumulativeDelayMs(i + 1, 1000, 900_000) / 1000);
    expect(opens).toEqual([1, 3, 7, 15, 31, 63, 127, 255, 511, 1023, 1923, 2823, 3723]);
    expect(cumulativeDelayMs(0, 1000, 900_000)).toBe(0);
    expect(cumulativeDelayMs(1_000_000, 1000, 900_000)).toBe(1023_000 + (1_000_000 - 10) * 900_000);
  });

  it('bound the passwords checked per e-mail window: 32 an hour with the defaults', () => {
    expect(checksPerEmailWindow(defaults)).toBe(32);
    expect(checksPerEmailWindow({ ...defaults, emailWindowMs: 24 * 3_600_000 })).toBe(20 + 10 + 94);
  });
});

describe('ClockedMemoryStore', () => {
  const clock = () => {
    let at = Date.UTC(2026, 0, 15);
    return { now: () => new Date(at), advance: (ms: number) => (at += ms) };
  };

  it('counts in a window fixed at the first hit and forgets the key when the injected clock passes it', async () => {
    const c = clock();
    const store = new ClockedMemoryStore({ windowMs: 60_000, now: c.now });
    const first = await store.increment('k');
    c.advance(30_000);
    const second = await store.increment('k');
    expect(second).toEqual({ totalHits: 2, resetTime: first.resetTime });
    c.advance(30_000);
    expect(await store.get('k')).toBeUndefined();
    expect((await store.increment('k')).totalHits).toBe(1);
  });

  it('never decrements below zero and resets a key on demand', async () => {
    const store = new ClockedMemoryStore({ windowMs: 60_000, now: clock().now });
    await store.increment('k');
    await store.decrement('k');
    await store.decrement('k');
    expect((await store.get('k'))?.totalHits).toBe(0);
    await store.resetKey('k');
    expect(await store.get('k')).toBeUndefined();
  });

  it('drops expired keys while counting, so an attack with ever-new keys does not pile up', async () => {
    const c = clock();
    const store = new ClockedMemoryStore({ windowMs: 60_000, now: c.now });
    for (let i = 0; i < 1000; i++) await store.increment(`old-${i}`);
    c.advance(61_000);
    await store.increment('new');
    expect(store.size).toBe(1);
  });
});
