import SQLite from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

/**
 * Opens the database the configuration names: a SQLite file (WAL, synchronous=FULL, foreign keys on)
 * or a PostgreSQL pool.
 */
export function createDb(database: Config['database']): Db {
  if (database.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: database.url, max: 10 });
    // An idle connection the server drops (restart, failover, admin) is reported here; with no
    // listener Node would crash the process. The pool discards it and opens a new one when needed.
    pool.on('error', (error) => {
      if (!pool.ending) console.error(`database: idle connection lost: ${error.message}`);
    });
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  mkdirSync(path.dirname(database.file), { recursive: true });
  const sqlite = new SQLite(database.file);
  sqlite.pragma('journal_mode = WAL');
  // better-sqlite3 defaults to NORMAL, which can lose an acknowledged commit on power loss.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // SQLite's lower() folds ASCII only; searches must match Æ/Ø/Å like PostgreSQL's lower() does.
  sqlite.function('lower', { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? value.toLowerCase() : value,
  );
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}

/** Current time as the ISO 8601 UTC text every time column holds. */
export const nowIso = (now: Date = new Date()) => now.toISOString();

/** A unique-constraint violation, on PostgreSQL (SQLSTATE 23505) or SQLite. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * Runs `fn` in a transaction, or inside the caller's when `db` already is one, so service functions
 * compose: the demo seed (or a later bulk import) can run many of them atomically.
 */
export function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
