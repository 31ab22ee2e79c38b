import type { Db } from '../db/database.ts';
import type { ApiKeysTable } from '../db/schema.ts';

export const insertApiKey = (db: Db, row: ApiKeysTable) => db.insertInto('api_keys').values(row).execute();

export const findActiveApiKeyByHash = (db: Db, keyHash: string) =>
  db
    .selectFrom('api_keys')
    .select(['id', 'company_id', 'level', 'last_used_at'])
    .where('key_hash', '=', keyHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();

export const touchApiKey = (db: Db, id: string, at: string) =>
  db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();

/** The keys of a company, newest first (a query, to read in pages). */
export const apiKeysOfCompany = (db: Db, companyId: string) =>
  db
    .selectFrom('api_keys')
    .select(['id', 'company_id', 'name', 'level', 'created_at', 'last_used_at', 'revoked_at'])
    .where('company_id', '=', companyId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc');

export const findApiKey = (db: Db, id: string) =>
  db
    .selectFrom('api_keys')
    .select(['id', 'company_id', 'name', 'level', 'revoked_at'])
    .where('id', '=', id)
    .executeTakeFirst();

/** Revokes a key unless already revoked; the result's `numUpdatedRows` says whether this call did. */
export const revokeApiKeyRow = (db: Db, id: string, at: string) =>
  db
    .updateTable('api_keys')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
