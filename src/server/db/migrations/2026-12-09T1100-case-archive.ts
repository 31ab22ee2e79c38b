import type { Kysely } from 'kysely';

// The case archive for the customer (issue 19, item 3): the notice "the page closes on <date>,
// download your archive" goes out once per closing of a case. A row per (case, closing time) is the
// claim: the job inserts it in the transaction that queues the notices, so two workers (or two app
// processes) cannot both send — the primary key lets one in. A case reopened and closed again has a
// new closing time and gets a notice of its own. Portable: text ids and times, an integer count.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('case_archive_notices')
    .addColumn('case_id', 'text', (col) => col.notNull().references('cases.id'))
    .addColumn('closed_at', 'text', (col) => col.notNull())
    .addColumn('company_id', 'text', (col) => col.notNull().references('companies.id'))
    // The last day the page is open (Europe/Oslo), as the notice told it; null: no notice was due.
    .addColumn('last_day', 'text')
    .addColumn('recipients', 'integer', (col) => col.notNull())
    .addColumn('noticed_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('case_archive_notices_pk', ['case_id', 'closed_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('case_archive_notices').execute();
}
