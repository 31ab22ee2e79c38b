import SQLite from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import {
  CompiledQuery,
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Dialect,
  type SqliteDialectConfig,
} from 'kysely';
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
    pool.on('connect', nameMarkedStatements);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    pools.set(db, pool);
    return db;
  }
  mkdirSync(path.dirname(database.file), { recursive: true });
  // The file holds every case, person and session hash: readable by the server's user only. Created
  // 0600 before SQLite opens it (which would make it 0644), and tightened when an older start left it
  // wider; SQLite gives the -wal and -shm files the database file's mode when it creates them.
  closeSync(openSync(database.file, 'a', 0o600));
  const sqlite = new SQLite(database.file);
  for (const file of sqliteFiles(database.file)) if (existsSync(file)) chmodSync(file, 0o600);
  sqlite.pragma('journal_mode = WAL');
  // better-sqlite3 defaults to NORMAL, which can lose an acknowledged commit on power loss.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // SQLite's lower() folds ASCII only; searches must match Æ/Ø/Å like PostgreSQL's lower() does.
  sqlite.function('lower', { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? value.toLowerCase() : value,
  );
  cachePreparedStatements(sqlite);
  return new Kysely<Database>({ dialect: immediateSqliteDialect({ database: sqlite }) });
}

/** The pg pool behind each PostgreSQL handle (Kysely keeps its own private). */
const pools = new WeakMap<Db, pg.Pool>();

/** The connection pool of a PostgreSQL handle (its counts are metrics); undefined on SQLite. */
export const poolOf = (db: Db): pg.Pool | undefined => pools.get(db);

/** A SQLite database's files: the database and its WAL and shared-memory files. */
export const sqliteFiles = (file: string): string[] => [file, `${file}-wal`, `${file}-shm`];

/** Our number: distinct SQL texts kept prepared (the app has a few hundred; a bench run ~300). */
const STATEMENT_CACHE_SIZE = 1000;

/**
 * Keeps SQLite statements prepared by their SQL text. Kysely prepares every query anew, and compiling
 * a statement took ~15 % of a customer-page request's CPU (bench profile); Kysely's SQLite driver runs
 * one statement at a time on its single connection, so a cached statement is never in use twice.
 * Statements survive schema changes: SQLite re-prepares them itself when the schema moved.
 */
function cachePreparedStatements(sqlite: SQLite.Database): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, SQLite.Statement>();
  sqlite.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (statement) {
      // Refresh its place: the least recently used statement is the one dropped.
      cache.delete(source);
    } else {
      statement = prepare(source);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    cache.set(source, statement);
    return statement;
  }) as typeof sqlite.prepare;
}

/**
 * SQLite transactions begin IMMEDIATE: the write lock is taken at BEGIN, so a read inside the
 * transaction sees the last commit of every process and nobody can commit in between (a DEFERRED
 * transaction would read a snapshot first and fail with SQLITE_BUSY when it later wants to write).
 * Every transaction of this app writes, so nothing is lost by taking the lock at once.
 */
function immediateSqliteDialect(config: SqliteDialectConfig): Dialect {
  const base = new SqliteDialect(config);
  return {
    createAdapter: () => base.createAdapter(),
    createDriver: () => new ImmediateSqliteDriver(config),
    createQueryCompiler: () => base.createQueryCompiler(),
    createIntrospector: (db) => base.createIntrospector(db),
  };
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/** How preparedQuery marks its SQL on PostgreSQL: `/* ks-prepared:<name> *\/ select …`. */
const PREPARED_MARK = /^\/\* ks-prepared:([a-z0-9-]+) \*\/ /;

/**
 * Runs the marked SQL of {@link preparedQuery} as a named statement of the connection: PostgreSQL
 * parses and plans it once per connection instead of with every request (the session lookup joins
 * six tables). pg keeps the names a connection has prepared; Kysely's driver calls
 * `client.query(sql, parameters)`, so the name is added here. Unmarked SQL runs as before.
 */
function nameMarkedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((text: unknown, values?: unknown, callback?: unknown) => {
    const name =
      typeof text === 'string' && Array.isArray(values) ? PREPARED_MARK.exec(text)?.[1] : undefined;
    return name ? query({ name, text, values }, callback) : query(text, values, callback);
  }) as typeof client.query;
}

/** preparedQuery instances so far: each one's statement gets its own name. */
let preparedCount = 0;

/** Whether the handle talks to PostgreSQL (for the few statements that differ, e.g. row locks). */
export const isPostgres = (db: Db): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * A query of the hot path, compiled once per dialect and then run with each call's values: Kysely
 * otherwise builds and compiles the query tree on every call (~6 % of a customer-page request's CPU,
 * bench profile, issue 13). `build` receives stand-ins for the arguments and must use each only as a
 * plain value (a `where` operand, not an identifier or a list); the stand-ins' places in the compiled
 * parameters are found once, every other parameter is kept as compiled. SQLite then finds the
 * statement prepared (cachePreparedStatements).
 */
export function preparedQuery<Args extends readonly string[], Row>(
  arity: Args['length'],
  build: (db: Db, ...args: Args) => { compile(): CompiledQuery<Row> },
): (db: Db, ...args: Args) => Promise<Row[]> {
  const compiled = new Map<string, { query: CompiledQuery<Row>; places: number[] }>();
  const name = `ks-${++preparedCount}`;
  return async (db, ...args) => {
    const dialect = isPostgres(db) ? 'postgres' : 'sqlite';
    let entry = compiled.get(dialect);
    if (!entry) {
      const standIns = Array.from({ length: arity }, (_, i) => `\u0000prepared-argument-${i}`);
      const query = build(db, ...(standIns as unknown as Args)).compile();
      const places = standIns.map((standIn) => query.parameters.indexOf(standIn));
      if (places.some((place) => place < 0) || new Set(places).size !== arity) {
        throw new Error('preparedQuery: every argument must appear once as a parameter');
      }
      // On PostgreSQL a named statement (nameMarkedStatements); SQLite finds it in its cache.
      const sql = dialect === 'postgres' ? `/* ks-prepared:${name} */ ${query.sql}` : query.sql;
      compiled.set(dialect, (entry = { query: { ...query, sql }, places }));
    }
    const parameters = [...entry.query.parameters];
    entry.places.forEach((place, i) => (parameters[place] = args[i]));
    const result = await db.executeQuery<Row>({ ...entry.query, parameters });
    return result.rows;
  };
}

/** Current time as the ISO 8601 UTC text every time column holds. */
export const nowIso = (now: Date = new Date()) => now.toISOString();

/** A unique-constraint violation, on PostgreSQL (SQLSTATE 23505) or SQLite. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

type AfterCommitStep = () => unknown;
/** Steps waiting for the commit of the transaction they were registered in (key: for dedupe). */
const commitQueues = new WeakMap<Db, Map<unknown, AfterCommitStep>>();
/** What a handle was set up with (see {@link provide}); transactions share their parent's. */
const scopes = new WeakMap<Db, Map<symbol, unknown>>();

/**
 * Runs `fn` in a transaction, or inside the caller's when `db` already is one, so service functions
 * compose: the demo seed (or a later bulk import) can run many of them atomically. Steps registered
 * with {@link afterCommit} run once the outermost transaction has committed, in order; after a
 * rollback none of them runs.
 */
export async function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db);
  const queue = new Map<unknown, AfterCommitStep>();
  const result = await db.transaction().execute((trx) => {
    commitQueues.set(trx, queue);
    const scope = scopes.get(db);
    if (scope) scopes.set(trx, scope);
    return fn(trx);
  });
  await runSteps([...queue.values()]);
  return result;
}

/**
 * Runs `step` after the transaction `db` belongs to commits (outside a transaction: now, since the
 * write before it is already committed). Steps with the same `key` in one transaction run once.
 * Every step runs even when an earlier one fails; the first failure is thrown afterwards.
 */
export async function afterCommit(db: Db, step: AfterCommitStep, key: unknown = Symbol()): Promise<void> {
  const queue = commitQueues.get(db);
  if (queue) {
    if (!queue.has(key)) queue.set(key, step);
    return;
  }
  if (db.isTransaction) throw new Error('afterCommit needs a transaction opened by inTransaction');
  await runSteps([step]);
}

async function runSteps(steps: AfterCommitStep[]): Promise<void> {
  let failure: { error: unknown } | null = null;
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure) throw failure.error;
}

/**
 * Gives a database handle (and every transaction opened on it with {@link inTransaction}) a value
 * under `key`: how the app hands the case write path its on-change steps and live bus without
 * threading them through every service signature.
 */
export function provide(db: Db, key: symbol, value: unknown): void {
  let scope = scopes.get(db);
  if (!scope) scopes.set(db, (scope = new Map()));
  scope.set(key, value);
}

/** The value {@link provide} gave this handle (or the handle its transaction was opened on). */
export function provided<T>(db: Db, key: symbol): T | undefined {
  return scopes.get(db)?.get(key) as T | undefined;
}
