import type { Db } from '../db/database.ts';
import type { CallsTable } from '../db/schema.ts';

export const insertCall = (db: Db, row: CallsTable) => db.insertInto('calls').values(row).execute();

/** The calls of a case, newest first (a query, to read in pages). */
export const callsOfCase = (db: Db, caseId: string) =>
  db
    .selectFrom('calls')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('called_at', 'desc')
    .orderBy('id', 'desc');
