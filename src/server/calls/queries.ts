import type { Db } from '../db/database.ts';
import type { CallsTable } from '../db/schema.ts';

export const insertCall = (db: Db, row: CallsTable) => db.insertInto('calls').values(row).execute();

export const listCallsOfCase = (db: Db, caseId: string) =>
  db.selectFrom('calls').selectAll().where('case_id', '=', caseId).orderBy('called_at', 'desc').execute();
