import { sql } from 'kysely';
import type { CaseChangeStep } from '../case-commands/case-command.ts';
import type { Db } from '../db/database.ts';
import type { CasesTable, CaseStatus } from '../db/schema.ts';

/**
 * The totals of the case list without a search (issue 13): counting 100 000 cases on every page
 * view costs more than the page itself, so `case_counts` keeps, per company, the number of cases of
 * each status and case handler, and the list sums a company's few rows (a status or handler filter
 * sums fewer). Kept on write by the on-change step below, in the transaction of every case change.
 */

/** The handler key of a case without a case handler (the key is part of the primary key). */
export const NO_HANDLER = '';

interface CountKey {
  status: CaseStatus;
  handlerKey: string;
}

const keyOf = (row: Pick<CasesTable, 'status' | 'case_handler_id'>): CountKey => ({
  status: row.status,
  handlerKey: row.case_handler_id ?? NO_HANDLER,
});

/**
 * On-change step (registered in app.ts): a new case counts once, a case whose status or case
 * handler changed moves from one count to the other; any other change writes nothing.
 */
export const keepCaseCounts: CaseChangeStep = async ({ trx, before, after }) => {
  const changes = new Map<string, CountKey & { delta: number }>();
  const add = (key: CountKey, delta: number) => {
    const id = `${key.status}\n${key.handlerKey}`;
    const change = changes.get(id) ?? { ...key, delta: 0 };
    change.delta += delta;
    changes.set(id, change);
  };
  if (before) add(keyOf(before), -1);
  add(keyOf(after), 1);
  // Rows in one order for every transaction: two changes moving cases in opposite directions lock
  // the same two rows in the same order on PostgreSQL, never each waiting for the other.
  const ordered = [...changes.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [, change] of ordered) {
    if (change.delta !== 0) await addToCount(trx, after.company_id, change, change.delta);
  }
};

async function addToCount(trx: Db, companyId: string, key: CountKey, delta: number) {
  await trx
    .insertInto('case_counts')
    .values({ company_id: companyId, status: key.status, handler_key: key.handlerKey, cases: delta })
    .onConflict((conflict) =>
      conflict
        .columns(['company_id', 'status', 'handler_key'])
        .doUpdateSet({ cases: sql<number>`case_counts.cases + excluded.cases` }),
    )
    .execute();
}

/** How many of a company's cases have the status and case handler given (either may be left out). */
export async function countCases(
  db: Db,
  filter: { companyId: string; status?: CaseStatus | undefined; handlerId?: string | undefined },
): Promise<number> {
  let query = db
    .selectFrom('case_counts')
    .select(sql<string | number>`coalesce(sum(cases), 0)`.as('total'))
    .where('company_id', '=', filter.companyId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.handlerId) query = query.where('handler_key', '=', filter.handlerId);
  return Number((await query.executeTakeFirstOrThrow()).total);
}
