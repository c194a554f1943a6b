import { defineConfig } from 'vitest/config';

const shared = {
  environment: 'node' as const,
  // Integration tests start real HTTP servers on port 0; RSA key generation for fixtures is slow-ish.
  testTimeout: 20_000,
  hookTimeout: 60_000,
  restoreMocks: true,
};

// The component tests again with the harness on PostgreSQL (test/support/postgres-test-database.ts:
// one fresh schema per test database). Left out: tests about SQLite itself (its file, its folder,
// its locks, restarts on the file), and pure code that never opens a database.
const POSTGRES_EXCLUDE = [
  'test/browser/**',
  'test/architecture.test.ts',
  'test/data-folder-permissions.test.ts',
  'test/migration-crash.test.ts',
  'test/demo-live-separation.test.ts',
  'test/concurrent-processes.test.ts',
  'test/csrf-not-in-sessions.test.ts',
  'test/one-time-link-storage.test.ts',
  'test/postgres/**',
  'src/db/data-folder.test.ts',
  'src/db/database.test.ts',
  'src/db/transactions.test.ts',
];
// Set by .ci/run's throw-away server (or by hand); without it the project is not defined, and
// test/postgres/postgres-guard.test.ts says so (and fails under CI=true).
const postgresUrl = process.env['TEST_DATABASE_URL'];

export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: 'app', sequence: { groupOrder: 0 }, include: ['src/**/*.test.ts', 'emulator/**/*.test.ts', 'fixtures/**/*.test.ts', 'test/**/*.test.ts'], exclude: ['test/browser/**'] } },
      ...(postgresUrl
        ? [{
            test: {
              ...shared,
              name: 'app-postgres',
              sequence: { groupOrder: 0 },
              env: { CSD_TEST_DATABASE: 'postgres' },
              include: ['test/**/*.test.ts', 'src/{accounts,audit,uploads,organizations,radar,certificate-removal,db,ops,mail}/**/*.test.ts'],
              exclude: POSTGRES_EXCLUDE,
            },
          }]
        : []),
      // Browser files run one after another (each launches one Chromium and reuses it), after the
      // app project so Chromium does not compete with the load and timing tests; they are skipped
      // with a message when no Chromium is found, and fail under CI=true (browser-guard.test.ts).
      {
        test: { ...shared, name: 'browser', include: ['test/browser/**/*.test.ts'], fileParallelism: false, testTimeout: 30_000, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
