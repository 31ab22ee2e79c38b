import type { Db } from '../db/database.ts';
import type { StaffSsoTable } from '../db/schema.ts';

/** The company's single sign-on configuration, if any. */
export const findSsoConfig = (db: Db, companyId: string) =>
  db.selectFrom('staff_sso').selectAll().where('company_id', '=', companyId).executeTakeFirst();

/** Inserts or replaces the company's configuration. */
export const upsertSsoConfig = (db: Db, row: StaffSsoTable) =>
  db
    .insertInto('staff_sso')
    .values(row)
    .onConflict((oc) =>
      oc.column('company_id').doUpdateSet({
        issuer: row.issuer,
        client_id: row.client_id,
        client_secret_sealed: row.client_secret_sealed,
        enabled: row.enabled,
        sso_only: row.sso_only,
        updated_at: row.updated_at,
        updated_by: row.updated_by,
      }),
    )
    .execute();

export const deleteSsoConfig = (db: Db, companyId: string) =>
  db.deleteFrom('staff_sso').where('company_id', '=', companyId).executeTakeFirst();

/** The active user of THIS company with this (lower-cased) e-mail address. */
export const findActiveCompanyUserByEmail = (db: Db, companyId: string, email: string) =>
  db
    .selectFrom('users')
    .select(['id', 'company_id', 'level'])
    .where('company_id', '=', companyId)
    .where('email', '=', email.toLowerCase())
    .where('active', '=', 1)
    .executeTakeFirst();
