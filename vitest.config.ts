import { defineConfig } from 'vitest/config';

const shared = {
  environment: 'node' as const,
  // Integration tests start real HTTP servers on port 0; RSA key generation for fixtures is slow-ish.
  testTimeout: 20_000,
  hookTimeout: 60_000,
  restoreMocks: true,
};

export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: 'app', sequence: { groupOrder: 0 }, include: ['src/**/*.test.ts', 'emulator/**/*.test.ts', 'fixtures/**/*.test.ts', 'test/**/*.test.ts'], exclude: ['test/browser/**'] } },
      // Browser files run one after another (each launches one Chromium and reuses it), after the
      // app project so Chromium does not compete with the load and timing tests; they are skipped
      // with a message when no Chromium is found, and fail under CI=true (browser-guard.test.ts).
      {
        test: { ...shared, name: 'browser', include: ['test/browser/**/*.test.ts'], fileParallelism: false, testTimeout: 30_000, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
