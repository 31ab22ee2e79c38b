import { touchCustomerPages } from '../companies/queries.ts';
import type { Db } from '../db/database.ts';
import type { CustomerPageAuditTable, CustomerPageSettingsTable } from '../db/schema.ts';

export const findSettingsRow = (db: Db, companyId: string) =>
  db.selectFrom('customer_page_settings').selectAll().where('company_id', '=', companyId).executeTakeFirst();

/** Inserts the company's row or replaces its settings (the logo stays); customer pages show them next. */
export const upsertSettings = async (db: Db, row: Omit<CustomerPageSettingsTable, 'logo_key'>) => {
  await touchCustomerPages(db, row.company_id);
  await db
    .insertInto('customer_page_settings')
    .values({ ...row, logo_key: null })
    .onConflict((oc) =>
      oc.column('company_id').doUpdateSet({
        settings: row.settings,
        updated_at: row.updated_at,
        updated_by: row.updated_by,
      }),
    )
    .execute();
};

/** Inserts the company's row (with `settings` as given) or sets its logo (the settings stay). */
export const upsertLogoKey = async (db: Db, row: CustomerPageSettingsTable) => {
  await touchCustomerPages(db, row.company_id);
  await db
    .insertInto('customer_page_settings')
    .values(row)
    .onConflict((oc) =>
      oc.column('company_id').doUpdateSet({
        logo_key: row.logo_key,
        updated_at: row.updated_at,
        updated_by: row.updated_by,
      }),
    )
    .execute();
};

export const insertAuditRows = async (db: Db, rows: CustomerPageAuditTable[]) => {
  if (rows.length) await db.insertInto('customer_page_audit').values(rows).execute();
};

/** Newest first; the rows of one save in the order they were written (a query, to read in pages). */
export const auditRowsOf = (db: Db, companyId: string) =>
  db
    .selectFrom('customer_page_audit')
    .selectAll()
    .where('company_id', '=', companyId)
    .orderBy('at', 'desc')
    .orderBy('id', 'asc');
