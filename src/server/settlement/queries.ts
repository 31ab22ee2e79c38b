import type { Db } from '../db/database.ts';
import type { SettlementLinesTable, SettlementsTable } from '../db/schema.ts';

// All SQL of the settlement module: the case's settlement versions and their lines, and the economy
// rows cost control reads (budget lines, quote requests, invoices — read, never stored twice). Rows
// are scoped by case id; the service checks the case's company first. Amounts are bigint øre, which
// PostgreSQL returns as text (the service wraps Number()).

/** Every settlement version of a case, newest first. */
export const settlementsOfCase = (db: Db, caseId: string) =>
  db.selectFrom('settlements').selectAll().where('case_id', '=', caseId).orderBy('version', 'desc').execute();

/** The lines of some settlement versions, in order. */
export const linesOfSettlements = async (db: Db, settlementIds: string[]) =>
  settlementIds.length === 0
    ? []
    : db
        .selectFrom('settlement_lines')
        .selectAll()
        .where('settlement_id', 'in', settlementIds)
        .orderBy('settlement_id')
        .orderBy('position')
        .execute();

export const insertSettlement = (db: Db, row: SettlementsTable) =>
  db.insertInto('settlements').values(row).execute();

export const insertSettlementLines = async (db: Db, rows: SettlementLinesTable[]) => {
  if (rows.length) await db.insertInto('settlement_lines').values(rows).execute();
};

export const deleteSettlementLines = (db: Db, settlementId: string) =>
  db.deleteFrom('settlement_lines').where('settlement_id', '=', settlementId).execute();

/**
 * Writes a draft's new deductible and revision; only while it is still the draft at `revision`
 * (belt and braces beside the guard under the case lock): the number of rows changed tells.
 */
export const updateDraft = async (
  db: Db,
  id: string,
  revision: number,
  values: Pick<SettlementsTable, 'deductible_ore' | 'updated_at'>,
) =>
  Number(
    (
      await db
        .updateTable('settlements')
        .set({ ...values, revision: revision + 1 })
        .where('id', '=', id)
        .where('status', '=', 'draft')
        .where('revision', '=', revision)
        .executeTakeFirst()
    ).numUpdatedRows,
  );

/** Approves a draft at `revision` (0 rows: it was not that draft any more). */
export const markApproved = async (db: Db, id: string, revision: number, at: string, by: string) =>
  Number(
    (
      await db
        .updateTable('settlements')
        .set({
          status: 'approved',
          revision: revision + 1,
          decided_at: at,
          approved_by: by,
          updated_at: at,
        })
        .where('id', '=', id)
        .where('status', '=', 'draft')
        .where('revision', '=', revision)
        .executeTakeFirst()
    ).numUpdatedRows,
  );

/** An approved version replaced by a newer approved one: its only change after approval. */
export const markSuperseded = (db: Db, id: string, at: string) =>
  db
    .updateTable('settlements')
    .set({ status: 'superseded', updated_at: at })
    .where('id', '=', id)
    .where('status', '=', 'approved')
    .execute();

/** The company's default of VAT on a new cash-settlement line. */
export const cashSettlementIncludesVat = async (db: Db, companyId: string) => {
  const row = await db
    .selectFrom('companies')
    .select('cash_settlement_includes_vat')
    .where('id', '=', companyId)
    .executeTakeFirst();
  return Number(row?.cash_settlement_includes_vat ?? 0) === 1;
};

// ---- Cost control (the economy module's tables, read only) ----

export const budgetTotalOfCase = async (db: Db, caseId: string) =>
  (await db.selectFrom('budget_lines').select('amount_ore').where('case_id', '=', caseId).execute()).reduce(
    (sum, line) => sum + Number(line.amount_ore),
    0,
  );

export const quoteRequestAmountsOfCase = (db: Db, caseId: string) =>
  db
    .selectFrom('quote_requests as q')
    .leftJoin('offices as o', 'o.id', 'q.office_id')
    .leftJoin('partners as p', 'p.id', 'o.partner_id')
    .select(['q.office_id', 'q.status', 'q.amount_ore', 'o.name as office_name', 'p.name as partner_name'])
    .where('q.case_id', '=', caseId)
    .execute();

export const invoiceAmountsOfCase = (db: Db, caseId: string) =>
  db
    .selectFrom('invoices as i')
    .leftJoin('offices as o', 'o.id', 'i.office_id')
    .leftJoin('partners as p', 'p.id', 'o.partner_id')
    .select(['i.office_id', 'i.status', 'i.amount_ore', 'o.name as office_name', 'p.name as partner_name'])
    .where('i.case_id', '=', caseId)
    .execute();
