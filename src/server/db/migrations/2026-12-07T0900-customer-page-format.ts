import type { Kysely } from 'kysely';

// The stored customer pages carry the format of the presenter that built them
// (customer-page/read-model.ts CUSTOMER_PAGE_FORMAT): after a deploy that changes what a page holds,
// a page stored by the earlier code is built again on its next read, not sent until its case changes.
// Rows stored before are format 0 (older than any format the code names).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('customer_page_models')
    .addColumn('format', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('customer_page_models').dropColumn('format').execute();
}
