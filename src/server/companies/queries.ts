import type { Db } from '../db/database.ts';
import type { CompaniesTable } from '../db/schema.ts';

export const insertCompany = (db: Db, row: CompaniesTable) =>
  db.insertInto('companies').values(row).execute();

export const findCompany = (db: Db, id: string) =>
  db.selectFrom('companies').selectAll().where('id', '=', id).executeTakeFirst();

export const updateCompanyRow = (
  db: Db,
  id: string,
  values: Partial<Pick<CompaniesTable, 'name' | 'org_number'>>,
) => db.updateTable('companies').set(values).where('id', '=', id).execute();

export const countCompanies = async (db: Db) =>
  Number(
    (
      await db
        .selectFrom('companies')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
