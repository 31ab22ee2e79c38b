import type { CaseChangeStep } from '../case-commands/case-command.ts';
import type { CaseContactsTable, CasesTable } from '../db/schema.ts';

/**
 * The case search (issue 13) looks a case up by its claim number, address and customer through a
 * trigram index (SQLite FTS5, PostgreSQL pg_trgm) over one stored text per case, `case_search`.
 * The text is folded here, in JavaScript, for both databases, so Æ/Ø/Å match case-insensitively
 * the same way everywhere and the index never depends on a database's locale or lower().
 */

/**
 * What a search query and a searched field are compared as: lower case by JavaScript's rules, and
 * control characters (newlines, tabs) as spaces — so the line break that separates the fields of a
 * case's text can never be part of a query, and a query never matches across two fields.
 */
export const foldForSearch = (text: string): string => text.toLowerCase().replace(/\p{Cc}/gu, ' ');

/** The fields of a case it is found by, as the case list has always searched them. */
export type SearchedCase = Pick<CasesTable, 'claim_number' | 'street' | 'postal_code' | 'city'>;
/** The fields of a customer a case is found by. */
export type SearchedContact = Pick<CaseContactsTable, 'name' | 'email' | 'phone'>;

/** The stored search text of a case: each field folded, one per line (a query holds no line break). */
export function caseSearchText(row: SearchedCase, customers: readonly SearchedContact[]): string {
  const fields = [row.claim_number, row.street, row.postal_code, row.city];
  for (const customer of customers) fields.push(customer.name, customer.email ?? '', customer.phone ?? '');
  return fields.map(foldForSearch).join('\n');
}

/**
 * On-change step (registered in app.ts): after any change of a case — a new case, or one whose
 * address or customer may have changed — its search text is written again in the same transaction,
 * so a search right after the commit finds the case by its new text and no longer by its old one.
 * An unchanged text (most changes: messages, tasks, status) costs one read and no write.
 */
export const keepCaseSearchText: CaseChangeStep = async ({ trx, after }) => {
  // The stored text and the customers (one in practice; the search has always matched any of them)
  // in one round trip.
  const rows = await trx
    .selectFrom('cases as c')
    .leftJoin('case_search as s', 's.case_id', 'c.id')
    .leftJoin('case_contacts as cc', (join) =>
      join.onRef('cc.case_id', '=', 'c.id').on('cc.role', '=', 'customer'),
    )
    .select(['s.search_text', 'cc.name', 'cc.email', 'cc.phone'])
    .where('c.id', '=', after.id)
    .orderBy('cc.created_at')
    .orderBy('cc.id')
    .execute();
  const customers = rows.flatMap((row) =>
    row.name === null ? [] : [{ name: row.name, email: row.email, phone: row.phone }],
  );
  const text = caseSearchText(after, customers);
  if (rows[0]?.search_text === text) return;
  await trx
    .insertInto('case_search')
    .values({
      case_id: after.id,
      company_id: after.company_id,
      created_at: after.created_at,
      search_text: text,
    })
    .onConflict((conflict) => conflict.column('case_id').doUpdateSet({ search_text: text }))
    .execute();
};
