import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Config } from '../../src/server/config.ts';

/** The PostgreSQL server tests use; scripts/test.ts points it at a private cluster when needed. */
export const adminPostgresUrl = () => process.env.KS_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  database: Config['database'];
  dataDir: string;
  drop: () => Promise<void>;
}

/**
 * A fresh, empty database for one test file: a SQLite file in a temp folder, or a new PostgreSQL
 * database created for this file and dropped after it, so files never see each other's rows.
 */
export async function createTestDatabase(kind = process.env.TEST_DB ?? 'sqlite'): Promise<TestDatabase> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ks-test-'));
  const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
  if (kind !== 'postgres') {
    return {
      database: { kind: 'sqlite', file: path.join(dataDir, 'test.sqlite') },
      dataDir,
      drop: async () => removeDir(),
    };
  }
  const name = `ks_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const adminUrl = adminPostgresUrl();
  await withClient(adminUrl, (client) => client.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    database: { kind: 'postgres', url: url.toString() },
    dataDir,
    drop: async () => {
      await withClient(adminUrl, (client) => client.query(`drop database if exists ${name} with (force)`));
      removeDir();
    },
  };
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
