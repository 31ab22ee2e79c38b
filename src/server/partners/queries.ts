import type { Db } from '../db/database.ts';
import type { OfficesTable, PartnersTable, PersonsTable } from '../db/schema.ts';

export const insertPartner = (db: Db, row: PartnersTable) => db.insertInto('partners').values(row).execute();
export const insertOffice = (db: Db, row: OfficesTable) => db.insertInto('offices').values(row).execute();
export const insertPerson = (db: Db, row: PersonsTable) => db.insertInto('persons').values(row).execute();

export const findPartner = (db: Db, id: string) =>
  db.selectFrom('partners').selectAll().where('id', '=', id).executeTakeFirst();

export const findOffice = (db: Db, id: string) =>
  db.selectFrom('offices').selectAll().where('id', '=', id).executeTakeFirst();

/** The partners of a company by name (a query, to read in pages). */
export const partnersOfCompany = (db: Db, companyId: string) =>
  db.selectFrom('partners').selectAll().where('company_id', '=', companyId).orderBy('name').orderBy('id');

/** Offices of the given partners, in three queries for any number of partners (no N+1). */
export const listOfficesOfPartners = (db: Db, companyId: string, partnerIds: string[]) =>
  partnerIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('offices')
        .selectAll()
        .where('company_id', '=', companyId)
        .where('partner_id', 'in', partnerIds)
        .orderBy('name')
        .execute();

export const listPersonsOfOffices = (db: Db, companyId: string, officeIds: string[]) =>
  officeIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('persons')
        .selectAll()
        .where('company_id', '=', companyId)
        .where('office_id', 'in', officeIds)
        .orderBy('name')
        .execute();
