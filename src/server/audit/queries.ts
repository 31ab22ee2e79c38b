import type { Db } from '../db/database.ts';
import type { AuditLogTable } from '../db/schema.ts';

// All SQL of the audit trail: append a line, read a company's lines newest first (the (company_id, at)
// index), and the actor's name for the line's snapshot.

export const insertAuditLine = (db: Db, row: AuditLogTable) =>
  db.insertInto('audit_log').values(row).execute();

/** The lines of a company, newest first (time, then id), optionally of one action. */
export function auditLinesOf(db: Db, companyId: string, action?: string) {
  let query = db.selectFrom('audit_log').selectAll().where('company_id', '=', companyId);
  if (action) query = query.where('action', '=', action);
  return query.orderBy('at', 'desc').orderBy('id', 'desc');
}

export const findUserName = (db: Db, id: string) =>
  db.selectFrom('users').select('name').where('id', '=', id).executeTakeFirst();

export const findApiKeyName = (db: Db, id: string) =>
  db.selectFrom('api_keys').select('name').where('id', '=', id).executeTakeFirst();
