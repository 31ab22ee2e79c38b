import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { Database } from '../../src/server/db/schema.ts';

/**
 * Fast writers for the generated data set. The services are far too slow for millions of rows, so
 * rows go in directly: on SQLite through one prepared statement per table inside one transaction per
 * batch; on PostgreSQL as one `insert … select * from unnest($1::text[], …)` per table and chunk
 * (one round trip for thousands of rows) inside one transaction per batch.
 */

export type TableName = keyof Database;

/** Rows for several tables, written in the order given (parents before children). */
export type RowBatch = Array<[table: TableName, rows: Array<Record<string, unknown>>]>;

export interface BulkWriter {
  /** Writes the batch in one transaction. */
  write(batch: RowBatch): Promise<void>;
  close(): Promise<void>;
}

/** Opens a writer on a migrated SQLite file (its own connection, closed before the app opens its). */
export function sqliteWriter(file: string): BulkWriter {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  // Loading only: a crash loses the generated data set, nothing else.
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = ON');
  const statements = new Map<string, SQLite.Statement>();
  const statementOf = (table: string, columns: string[]) => {
    const key = `${table}:${columns.join(',')}`;
    let statement = statements.get(key);
    if (!statement) {
      statement = db.prepare(
        `insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`,
      );
      statements.set(key, statement);
    }
    return statement;
  };
  const writeAll = db.transaction((batch: RowBatch) => {
    for (const [table, rows] of batch) {
      const first = rows[0];
      if (!first) continue;
      const columns = Object.keys(first);
      const statement = statementOf(table, columns);
      for (const row of rows) statement.run(columns.map((column) => row[column]));
    }
  });
  return {
    write: async (batch) => writeAll(batch),
    close: async () => {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}

const PG_CHUNK = 5_000;

/** Opens a writer on a migrated PostgreSQL database. */
export async function postgresWriter(url: string): Promise<BulkWriter> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // Each column's type as the migrations made it (a hand-kept list fell behind a new column).
  const typed = await client.query<{ table_name: string; column_name: string; data_type: string }>(
    `select table_name, column_name, data_type from information_schema.columns where table_schema = current_schema()`,
  );
  const typeOf = new Map(typed.rows.map((row) => [`${row.table_name}.${row.column_name}`, row.data_type]));
  const insertChunk = async (table: string, rows: Array<Record<string, unknown>>) => {
    const columns = Object.keys(rows[0] ?? {});
    const arrays = columns.map((column) => rows.map((row) => row[column] ?? null));
    const casts = columns.map((column, i) => {
      const type = typeOf.get(`${table}.${column}`);
      if (!type) throw new Error(`bench: ${table}.${column} is not a column of the migrated database`);
      return `$${i + 1}::${type}[]`;
    });
    await client.query(
      `insert into ${table} (${columns.join(', ')}) select * from unnest(${casts.join(', ')})`,
      arrays,
    );
  };
  return {
    write: async (batch) => {
      await client.query('begin');
      try {
        for (const [table, rows] of batch) {
          for (let i = 0; i < rows.length; i += PG_CHUNK)
            await insertChunk(table, rows.slice(i, i + PG_CHUNK));
        }
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      }
    },
    close: () => client.end(),
  };
}
