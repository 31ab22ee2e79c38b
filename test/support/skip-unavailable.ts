import { beforeEach } from 'vitest';

// scripts/test.ts sets KS_SKIP_POSTGRES / KS_SKIP_BROWSER with a reason when this machine has no
// PostgreSQL server or no Chromium; every test of that suite is then reported as skipped (and CI fails).
export const skipReason =
  process.env.TEST_DB === 'postgres'
    ? process.env.KS_SKIP_POSTGRES
    : process.env.TEST_SUITE === 'browser'
      ? process.env.KS_SKIP_BROWSER
      : undefined;

if (skipReason) beforeEach((context) => context.skip(skipReason));
