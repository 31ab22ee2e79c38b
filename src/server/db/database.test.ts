import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb, sqliteFiles } from './database.ts';

// The SQLite file holds every case and person: only the server's user may read it (issue 15, item 12).

const dirs: string[] = [];
const tempFile = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kundeside-db-'));
  dirs.push(dir);
  return path.join(dir, 'kundeside.sqlite');
};
const modeOf = (file: string) => statSync(file).mode & 0o777;

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('SQLite file permissions', () => {
  it('creates the database and its -wal and -shm files readable by the owner only (0600)', async () => {
    const file = tempFile();
    const db = createDb({ kind: 'sqlite', file });
    try {
      await sql`create table t (x integer)`.execute(db);
      await sql`insert into t values (1)`.execute(db);
      for (const each of sqliteFiles(file)) expect([each, modeOf(each).toString(8)]).toEqual([each, '600']);
    } finally {
      await db.destroy();
    }
  });

  it('tightens the files an earlier start left world-readable', async () => {
    const file = tempFile();
    for (const each of sqliteFiles(file)) {
      writeFileSync(each, '');
      chmodSync(each, 0o644);
    }
    const db = createDb({ kind: 'sqlite', file });
    try {
      await sql`create table t (x integer)`.execute(db);
      for (const each of sqliteFiles(file)) expect([each, modeOf(each).toString(8)]).toEqual([each, '600']);
    } finally {
      await db.destroy();
    }
  });
});
