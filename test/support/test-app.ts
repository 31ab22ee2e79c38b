import { afterAll, beforeAll } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { loadConfig, type Config } from '../../src/server/config.ts';
import { createDb, type Db } from '../../src/server/db/database.ts';
import { migrateToLatest } from '../../src/server/db/migrate.ts';
import type { App } from '../../src/server/http/types.ts';
import { createTestDatabase, type TestDatabase } from './databases.ts';
import { skipReason } from './skip-unavailable.ts';

export const TEST_ORIGIN = 'http://kundeside.test';

export interface TestContext {
  app: App;
  db: Db;
  config: Config;
}

/** A test configuration on the given database; PUBLIC_BASE_URL is TEST_ORIGIN unless overridden. */
export function testConfig(testDb: TestDatabase, env: Record<string, string> = {}): Config {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: testDb.dataDir,
    PUBLIC_BASE_URL: TEST_ORIGIN,
    LOG_LEVEL: 'silent',
    SESSION_SECRET: 'test-secret-test-secret-test-secret-0000',
    ...env,
  });
  return { ...config, database: testDb.database };
}

/**
 * Registers hooks that give the test file its own migrated database (SQLite or PostgreSQL, from
 * TEST_DB) and an app built on it, driven with `app.inject()`. Read `ctx.app` inside tests.
 */
export function useTestApp(env: Record<string, string> = {}): TestContext {
  const ctx = {} as TestContext;
  let testDb: TestDatabase | undefined;
  beforeAll(async () => {
    if (skipReason) return;
    testDb = await createTestDatabase();
    ctx.config = testConfig(testDb, env);
    ctx.db = createDb(testDb.database);
    await migrateToLatest(ctx.db);
    ctx.app = await buildApp(ctx.config, { db: ctx.db, logger: false });
    await ctx.app.ready();
  });
  afterAll(async () => {
    await ctx.app?.close();
    await ctx.db?.destroy();
    await testDb?.drop();
  });
  return ctx;
}
