import { defineConfig } from 'vitest/config';

// Four suites, one run (scripts/test.ts decides which can run here and prints the closing line):
// unit (pure logic), the same HTTP test files against SQLite and against PostgreSQL, and the
// browser journeys in Debian's Chromium.
const httpTests = ['src/**/*.http.test.ts', 'test/http/**/*.test.ts'];

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/unit/**/*.test.ts'],
          exclude: [...httpTests, 'node_modules/**'],
        },
      },
      {
        extends: true,
        test: { name: 'http-sqlite', include: httpTests, env: { TEST_DB: 'sqlite' } },
      },
      {
        extends: true,
        test: {
          name: 'http-postgres',
          include: httpTests,
          env: { TEST_DB: 'postgres' },
          setupFiles: ['./test/support/skip-unavailable.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          env: { TEST_SUITE: 'browser' },
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['./test/support/build-web.ts'],
          setupFiles: ['./test/support/skip-unavailable.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
        },
      },
    ],
  },
});
