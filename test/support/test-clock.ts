/**
 * The one test clock: it moves only when told, so expiry tests need no sleeps and no test
 * depends on today's date. Call it (`clock()`) or hand `clock.now` to whatever takes a
 * `now: () => Date` (services, the app, the emulator).
 */
export interface TestClock {
  (): Date;
  /** The same clock as a plain function, for `now` options. */
  now: () => Date;
  advance(ms: number): void;
  set(at: string | Date): void;
}

/** Creates a TestClock starting at `start`. */
export function createTestClock(start: string | Date = '2026-03-01T12:00:00.000Z'): TestClock {
  let current = new Date(start).getTime();
  const now = () => new Date(current);
  const clock = Object.assign(() => now(), {
    now,
    advance(ms: number) {
      current += ms;
    },
    set(at: string | Date) {
      current = new Date(at).getTime();
    },
  });
  return clock;
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
