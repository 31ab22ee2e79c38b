import type { Db } from '../db/database.ts';
import type { SatisfactionAnswersTable } from '../db/schema.ts';

// All SQL of satisfaction after closing. Rows are scoped by company (results) or by case and grant
// (the customer's own answer); the unique (case_id, access_id) index makes "answer once" hold.

export const insertAnswer = (db: Db, row: SatisfactionAnswersTable) =>
  db.insertInto('satisfaction_answers').values(row).execute();

/** The answer of one person with access to one case, if given. */
export const findAnswer = (db: Db, caseId: string, accessId: string) =>
  db
    .selectFrom('satisfaction_answers')
    .select(['score', 'comment', 'answered_at'])
    .where('case_id', '=', caseId)
    .where('access_id', '=', accessId)
    .executeTakeFirst();

/** A case's answers with the name of the person who gave each, oldest first. */
export const answersOfCase = (db: Db, caseId: string) =>
  db
    .selectFrom('satisfaction_answers as s')
    .innerJoin('customer_access as a', 'a.id', 's.access_id')
    .innerJoin('case_contacts as p', 'p.id', 'a.contact_id')
    .select(['s.score', 's.comment', 's.answered_at', 'p.name as person_name'])
    .where('s.case_id', '=', caseId)
    .orderBy('s.answered_at')
    .orderBy('s.id')
    .execute();

/** Counts per handler (at the time of the answer) and score, in a period of the company. */
export const scoreCounts = (db: Db, companyId: string, from: string, to: string) =>
  db
    .selectFrom('satisfaction_answers as s')
    .leftJoin('users as u', 'u.id', 's.case_handler_id')
    .select((eb) => [
      's.case_handler_id',
      'u.name as handler_name',
      's.score',
      eb.fn.countAll<string>().as('count'),
    ])
    .where('s.company_id', '=', companyId)
    .where('s.answered_at', '>=', from)
    .where('s.answered_at', '<', to)
    .groupBy(['s.case_handler_id', 'u.name', 's.score'])
    .execute();

/** The newest comments of a period of the company. */
export const recentComments = (db: Db, companyId: string, from: string, to: string, limit: number) =>
  db
    .selectFrom('satisfaction_answers as s')
    .innerJoin('cases as c', 'c.id', 's.case_id')
    .leftJoin('users as u', 'u.id', 's.case_handler_id')
    .select([
      's.case_id',
      'c.claim_number',
      'u.name as handler_name',
      's.score',
      's.comment',
      's.answered_at',
    ])
    .where('s.company_id', '=', companyId)
    .where('s.comment', 'is not', null)
    .where('s.answered_at', '>=', from)
    .where('s.answered_at', '<', to)
    .orderBy('s.answered_at', 'desc')
    .orderBy('s.id', 'desc')
    .limit(limit)
    .execute();
