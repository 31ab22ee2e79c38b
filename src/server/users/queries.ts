import type { Db } from '../db/database.ts';
import type { UsersTable } from '../db/schema.ts';

const publicColumns = [
  'id',
  'company_id',
  'name',
  'email',
  'phone',
  'level',
  'active',
  'created_at',
] as const;

export type UserRow = Pick<UsersTable, (typeof publicColumns)[number]>;

export const insertUser = (db: Db, row: UsersTable) => db.insertInto('users').values(row).execute();

export const emailExists = async (db: Db, email: string) =>
  (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()) !== undefined;

export const findUser = (db: Db, id: string): Promise<UserRow | undefined> =>
  db.selectFrom('users').select(publicColumns).where('id', '=', id).executeTakeFirst();

/** Locks a user's row for the rest of the transaction (a write that changes nothing), so a change guards on what it reads next. */
export const lockUserRow = (db: Db, id: string) =>
  db
    .updateTable('users')
    .set((eb) => ({ level: eb.ref('level') }))
    .where('id', '=', id)
    .execute();

/** The users of a company by name (a query, to read in pages). */
export const usersOfCompany = (db: Db, companyId: string) =>
  db
    .selectFrom('users')
    .select(publicColumns)
    .where('company_id', '=', companyId)
    .orderBy('name')
    .orderBy('id');

/** Changes a user; their company's customer pages may show their name and phone (a case handler). */
export const updateUserRow = async (
  db: Db,
  id: string,
  values: Partial<Pick<UsersTable, 'name' | 'phone' | 'level' | 'active' | 'updated_at'>>,
) => {
  await db.updateTable('users').set(values).where('id', '=', id).execute();
  await db
    .updateTable('companies')
    .set((eb) => ({ page_version: eb('page_version', '+', 1) }))
    .where('id', '=', (eb) => eb.selectFrom('users').select('company_id').where('id', '=', id))
    .execute();
};

/**
 * Ends every session of a user (deactivation), in the caller's transaction. Here rather than in auth/
 * (which owns sessions) because auth builds on users (sign-in reads them): identity's arrows point
 * one way (docs/architecture.md, "Layers").
 */
export const deleteSessionsOfUser = (db: Db, userId: string) =>
  db.deleteFrom('staff_sessions').where('user_id', '=', userId).execute();
