import type { Db } from '../db/database.ts';
import type { CaseEventsTable } from '../db/schema.ts';

export const insertCaseEvent = (db: Db, row: CaseEventsTable) =>
  db.insertInto('case_events').values(row).execute();

/** Events of one case, newest first, optionally only some kinds (a query, to read in pages). */
export const eventsOfCase = (db: Db, caseId: string, kinds?: string[]) => {
  let query = db.selectFrom('case_events').selectAll().where('case_id', '=', caseId);
  if (kinds) query = query.where('kind', 'in', kinds.length ? kinds : ['']);
  return query.orderBy('occurred_at', 'desc').orderBy('id', 'desc');
};

export const findUserName = (db: Db, id: string) =>
  db.selectFrom('users').select('name').where('id', '=', id).executeTakeFirst();

export const findApiKeyName = (db: Db, id: string) =>
  db.selectFrom('api_keys').select('name').where('id', '=', id).executeTakeFirst();
