import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Config } from '../../src/server/config.ts';
import { createDb } from '../../src/server/db/database.ts';
import { migrateToLatest } from '../../src/server/db/migrate.ts';
import { postgresWriter, sqliteWriter, type BulkWriter } from './bulk-insert.ts';

/**
 * The two databases of a run: a fresh SQLite file in a temp folder, and a fresh PostgreSQL database
 * `ks_bench` beside the admin URL's. Both are migrated with the project's migrator; `drop` removes
 * them again (also after a failed run).
 */
export interface BenchDatabase {
  label: 'SQLite' | 'PostgreSQL';
  database: Config['database'];
  /** DATA_DIR of the app on this database (files, session secret). */
  dataDir: string;
  openWriter(): Promise<BulkWriter>;
  /** Refreshes planner statistics after the load where the app's database would do it itself. */
  afterLoad(): Promise<void>;
  /** The server's version string. */
  version(): Promise<string>;
  drop(): Promise<void>;
}

async function migrate(database: Config['database']): Promise<void> {
  const db = createDb(database);
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
}

/** A migrated SQLite file under a new temp folder. */
export async function createSqliteBench(): Promise<BenchDatabase> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ks-bench-sqlite-'));
  const database = { kind: 'sqlite' as const, file: path.join(dataDir, 'kundeside.sqlite') };
  await migrate(database);
  return {
    label: 'SQLite',
    database,
    dataDir,
    openWriter: async () => sqliteWriter(database.file),
    // Nothing: the app never runs ANALYZE on SQLite, so the bench measures the planner without stats.
    afterLoad: async () => {},
    version: async () => {
      const { default: SQLite } = await import('better-sqlite3');
      const db = new SQLite(':memory:');
      const row = db.prepare('select sqlite_version() as v').get() as { v: string };
      db.close();
      return `SQLite ${row.v} (better-sqlite3)`;
    },
    drop: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

/** True when PostgreSQL answers at the admin URL within two seconds. */
export async function postgresReachable(adminUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
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

/** A fresh, migrated database `ks_bench` on the server of `adminUrl` (an older one is dropped first). */
export async function createPostgresBench(adminUrl: string, name = 'ks_bench'): Promise<BenchDatabase> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ks-bench-pg-'));
  await withClient(adminUrl, async (client) => {
    await client.query(`drop database if exists ${name} with (force)`);
    await client.query(`create database ${name}`);
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = { kind: 'postgres' as const, url: url.toString() };
  await migrate(database);
  return {
    label: 'PostgreSQL',
    database,
    dataDir,
    openWriter: () => postgresWriter(database.url),
    // Autovacuum would vacuum and analyze the new rows within minutes (vacuum also sets the visibility
    // map that index-only scans, such as the case list's count, rely on); do it now so plans and
    // timings are the steady state, also on a server that runs with autovacuum off.
    afterLoad: () => withClient(database.url, async (client) => void (await client.query('vacuum analyze'))),
    version: () =>
      withClient(database.url, async (client) => {
        const { rows } = await client.query<{ v: string }>('show server_version');
        return `PostgreSQL ${rows[0]?.v ?? '?'}`;
      }),
    drop: async () => {
      await withClient(adminUrl, (client) => client.query(`drop database if exists ${name} with (force)`));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
