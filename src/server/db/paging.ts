import { sql, type SelectQueryBuilder } from 'kysely';
import { limitOffset, type Page, type PageRequest } from '../../common/contracts/paging.ts';

/**
 * One page of a list query (the one server helper of the paging convention, src/common/contracts/paging.ts).
 *
 * `query` is the list's whole query — filtered, selected and ordered in the order the user reads,
 * ending on a unique column so that pages never overlap or skip a row. The page's rows are read with
 * `limit`/`offset`; the total with the same `from`/`where` as `count(*)`, only when the rows cannot
 * tell it (a page that is neither the last nor empty past the first), so a list that fits on one
 * page costs one statement. `present` turns each row into what the response names.
 */
export async function fetchPage<DB, TB extends keyof DB, Row, Item>(
  query: SelectQueryBuilder<DB, TB, Row>,
  request: PageRequest,
  present: (row: Row) => Item,
): Promise<Page<Item>> {
  const { limit, offset } = limitOffset(request);
  const rows = await query.limit(limit).offset(offset).execute();
  const total =
    rows.length > 0 && rows.length < limit
      ? offset + rows.length
      : offset === 0 && rows.length === 0
        ? 0
        : await countRows(query);
  return { items: rows.map(present), total, page: request.page, pageSize: request.pageSize };
}

/** `count(*)` over the list query's rows (its selection and order dropped). */
async function countRows<DB, TB extends keyof DB, Row>(query: SelectQueryBuilder<DB, TB, Row>) {
  const row = (await query
    .clearSelect()
    .clearOrderBy()
    .select(sql<string | number>`count(*)`.as('total'))
    .executeTakeFirst()) as { total: string | number } | undefined;
  // PostgreSQL returns a count as text.
  return Number(row?.total ?? 0);
}
