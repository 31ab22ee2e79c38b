import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { Config } from '../../src/server/config.ts';

/**
 * The ceiling of any write endpoint: how many durable commits per second the database the app uses
 * reaches for a one-row insert transaction, measured beside the app in the same run. A customer
 * message post commits once (message, case event and outbox rows in one transaction), so its rate
 * is compared with this one (quality bar: ≥ 60 %).
 *
 * The probe writes into a scratch table of its own in the app's database (same file, same server),
 * created before and dropped after, so it pays the same fsyncs the app pays and leaves nothing behind.
 */

export interface CommitRate {
  /** Committed one-row transactions per second over the whole probe. */
  commitsPerSecond: number;
  commits: number;
  seconds: number;
  /** Writers running at once (SQLite: 1, it serialises writers anyway). */
  connections: number;
  /** The durability settings in force, read back from the database (e.g. `synchronous=2 (FULL)`). */
  settings: string;
}

const TABLE = 'bench_commit_probe';
/** About the size of the bench's message body: the row is a realistic one, not an empty one. */
const ROW_BODY = 'Hei! Når kommer håndverkerne tilbake? Hilsen benken.';

/** SQLite's synchronous levels by number, as `pragma synchronous` answers. */
const SYNCHRONOUS = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];

/**
 * SQLite: a second connection to the app's file with the app's pragmas (WAL, synchronous=FULL, the
 * same busy timeout) and the app's `begin immediate`. One connection in a loop is the ceiling: SQLite
 * lets one writer commit at a time, so more connections would only queue on the lock. The loop yields
 * to the event loop every 50 ms so the harness (and the idle app in this process) stays responsive.
 */
async function sqliteCommitRate(file: string, seconds: number): Promise<CommitRate> {
  const db = new SQLite(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    const journal = String(db.pragma('journal_mode', { simple: true }));
    const synchronous = Number(db.pragma('synchronous', { simple: true }));
    db.exec(
      `create table if not exists ${TABLE} (id integer primary key, body text not null, created_at text not null)`,
    );
    try {
      const insert = db.prepare(`insert into ${TABLE} (body, created_at) values (?, ?)`);
      const begin = db.prepare('begin immediate');
      const commit = db.prepare('commit');
      let commits = 0;
      const started = performance.now();
      const until = started + seconds * 1000;
      while (performance.now() < until) {
        const slice = performance.now() + 50;
        while (performance.now() < slice) {
          begin.run();
          insert.run(ROW_BODY, new Date().toISOString());
          commit.run();
          commits += 1;
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
      const elapsed = (performance.now() - started) / 1000;
      return {
        commitsPerSecond: commits / elapsed,
        commits,
        seconds: elapsed,
        connections: 1,
        settings: `journal_mode=${journal}, synchronous=${synchronous} (${SYNCHRONOUS[synchronous] ?? '?'})`,
      };
    } finally {
      db.exec(`drop table if exists ${TABLE}`);
    }
  } finally {
    db.close();
  }
}

/**
 * PostgreSQL: `connections` clients (the load run's count), each looping `begin; insert; commit`.
 * Concurrent commits can share one WAL flush (group commit), which is why this is measured at the
 * same concurrency as the message post it bounds.
 */
async function postgresCommitRate(url: string, seconds: number, connections: number): Promise<CommitRate> {
  const pool = new pg.Pool({ connectionString: url, max: connections });
  pool.on('error', () => {}); // an idle client lost while ending: nothing to do
  try {
    const { rows } = await pool.query<{ name: string; setting: string }>(
      `select name, setting from pg_settings where name in ('synchronous_commit', 'fsync', 'wal_sync_method') order by name`,
    );
    await pool.query(
      `create table if not exists ${TABLE} (id bigserial primary key, body text not null, created_at timestamptz not null)`,
    );
    try {
      let commits = 0;
      const started = performance.now();
      const until = started + seconds * 1000;
      const writer = async () => {
        const client = await pool.connect();
        try {
          while (performance.now() < until) {
            await client.query('begin');
            await client.query(`insert into ${TABLE} (body, created_at) values ($1, now())`, [ROW_BODY]);
            await client.query('commit');
            commits += 1;
          }
        } finally {
          client.release();
        }
      };
      await Promise.all(Array.from({ length: connections }, writer));
      const elapsed = (performance.now() - started) / 1000;
      return {
        commitsPerSecond: commits / elapsed,
        commits,
        seconds: elapsed,
        connections,
        settings: rows.map((row) => `${row.name}=${row.setting}`).join(', '),
      };
    } finally {
      await pool.query(`drop table if exists ${TABLE}`);
    }
  } finally {
    await pool.end();
  }
}

/** Commits per second of a one-row insert on the app's own database, for `seconds`. */
export function measureCommitRate(
  database: Config['database'],
  seconds: number,
  connections: number,
): Promise<CommitRate> {
  return database.kind === 'postgres'
    ? postgresCommitRate(database.url, seconds, connections)
    : sqliteCommitRate(database.file, seconds);
}
