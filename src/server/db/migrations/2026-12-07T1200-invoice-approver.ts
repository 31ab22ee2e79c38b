import type { Kysely } from 'kysely';

// Who approved an invoice (issue 16, item 2): the invoice section of a case shows "approved by
// <name> on <date>". A snapshot of the approver's name at the time, as the case log keeps it (a
// user's name or "API: <key name>"); invoices approved before stay without one. Portable: one plain
// nullable column.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('invoices').addColumn('approved_by_name', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('invoices').dropColumn('approved_by_name').execute();
}
