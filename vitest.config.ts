import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    // Integration tests start real HTTP servers on port 0; RSA key generation for fixtures is slow-ish.
    testTimeout: 20_000,
    hookTimeout: 60_000,
    restoreMocks: true,
  },
});
