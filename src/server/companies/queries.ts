import type { Db } from '../db/database.ts';
import type { CompaniesTable } from '../db/schema.ts';

export const insertCompany = (db: Db, row: CompaniesTable) =>
  db.insertInto('companies').values(row).execute();

export const findCompany = (db: Db, id: string) =>
  db.selectFrom('companies').selectAll().where('id', '=', id).executeTakeFirst();

/**
 * What the customer pages of a company show besides their case has changed (name, logo, settings, a
 * user's name or phone): stored pages built before are never sent again (customer-page/read-model.ts).
 * Every write of those rows calls this in its own transaction.
 */
export const touchCustomerPages = (db: Db, companyId: string) =>
  db
    .updateTable('companies')
    .set((eb) => ({ page_version: eb('page_version', '+', 1) }))
    .where('id', '=', companyId)
    .execute();

/** Updates the given columns; nothing given, nothing to write (an UPDATE needs at least one column). */
export const updateCompanyRow = async (
  db: Db,
  id: string,
  values: Partial<
    Pick<
      CompaniesTable,
      'name' | 'org_number' | 'cash_settlement_includes_vat' | 'personal_data_retention_years'
    >
  >,
) => {
  if (Object.keys(values).length === 0) return;
  await db
    .updateTable('companies')
    .set((eb) => ({ ...values, page_version: eb('page_version', '+', 1) }))
    .where('id', '=', id)
    .execute();
};

export const countCompanies = async (db: Db) =>
  Number(
    (
      await db
        .selectFrom('companies')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Serialises changes of one company's settings (a no-op update holds the row lock on PostgreSQL). */
export const lockCompanyRow = (db: Db, id: string) =>
  db
    .updateTable('companies')
    .set((eb) => ({ name: eb.ref('name') }))
    .where('id', '=', id)
    .execute();

export const setCompanyLogoKey = (db: Db, id: string, logoKey: string | null) =>
  db
    .updateTable('companies')
    .set((eb) => ({ logo_key: logoKey, page_version: eb('page_version', '+', 1) }))
    .where('id', '=', id)
    .execute();

/** Whether a logo key is the current logo of a company or of a customer page. */
export async function isLogoKeyInUse(db: Db, key: string): Promise<boolean> {
  const company = await db
    .selectFrom('companies')
    .select('id')
    .where('logo_key', '=', key)
    .executeTakeFirst();
  if (company) return true;
  const page = await db
    .selectFrom('customer_page_settings')
    .select('company_id')
    .where('logo_key', '=', key)
    .executeTakeFirst();
  return page !== undefined;
}
