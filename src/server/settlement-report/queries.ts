import type { Db } from '../db/database.ts';

// The SQL of the settlement report: what the report shows, read from the settlement module's tables
// (settlement/ owns them and their writes; this module only reads them, so it needs none of its code),
// the company's look, and the language the customer reads the page in.

/** One settlement version of a case of a company. */
export const findSettlement = (db: Db, companyId: string, caseId: string, settlementId: string) =>
  db
    .selectFrom('settlements')
    .selectAll()
    .where('id', '=', settlementId)
    .where('company_id', '=', companyId)
    .where('case_id', '=', caseId)
    .executeTakeFirst();

/** The version number of a settlement (the one a version supersedes). */
export const findSettlementVersion = async (db: Db, settlementId: string): Promise<number | null> => {
  const row = await db
    .selectFrom('settlements')
    .select('version')
    .where('id', '=', settlementId)
    .executeTakeFirst();
  return row ? Number(row.version) : null;
};

/** The lines of a settlement version, in their order. */
export const linesOfSettlement = (db: Db, settlementId: string) =>
  db
    .selectFrom('settlement_lines')
    .selectAll()
    .where('settlement_id', '=', settlementId)
    .orderBy('position')
    .orderBy('id')
    .execute();

/** The ids of a case's settlement versions older than `version` (whose reports the new one replaces). */
export const olderSettlementIds = async (db: Db, caseId: string, version: number): Promise<string[]> =>
  (
    await db
      .selectFrom('settlements')
      .select('id')
      .where('case_id', '=', caseId)
      .where('version', '<', version)
      .execute()
  ).map((row) => row.id);

/** A company's name and logo key, and its customer page's own logo key (null: none uploaded). */
export const companyLook = (db: Db, companyId: string) =>
  db
    .selectFrom('companies')
    .leftJoin('customer_page_settings', 'customer_page_settings.company_id', 'companies.id')
    .select(['companies.name', 'companies.logo_key', 'customer_page_settings.logo_key as page_logo_key'])
    .where('companies.id', '=', companyId)
    .executeTakeFirst();

/**
 * The language a customer of the case last read the customer page in: the newest stored page of the
 * case is built in the reader's language (customer-page/read-model.ts, per grant × language).
 */
export const lastPageLanguage = async (db: Db, caseId: string): Promise<string | null> =>
  (
    await db
      .selectFrom('customer_page_models')
      .select('language')
      .where('case_id', '=', caseId)
      .orderBy('built_at', 'desc')
      .limit(1)
      .executeTakeFirst()
  )?.language ?? null;

/** The name of a user (the approver the report is filed by). */
export const findUserName = async (db: Db, userId: string): Promise<string | null> =>
  (await db.selectFrom('users').select('name').where('id', '=', userId).executeTakeFirst())?.name ?? null;
