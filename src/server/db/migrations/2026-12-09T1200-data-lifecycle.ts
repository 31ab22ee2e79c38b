import type { Kysely } from 'kysely';

// Data lifecycle (issue 19, item 6, part A). One file for every table and column of it:
// - `audit_log`: the general audit trail of admin changes and document downloads, one append-only row
//   per change, written in the transaction of the change (audit/record-audit.ts). Read per company,
//   newest first: the (company_id, at) index.
// - `companies.personal_data_retention_years`: how long a closed case keeps personal data (1–30,
//   default 10), apart from how long its customer page stays visible.
// - `retention_runs`: one row per company and Oslo day the retention job ran; the unique
//   (company_id, day) index lets one process of many run it that day.
// - `cases.personal_data_removed_at`: when the retention job anonymised the case (null: not yet), so
//   a later run skips it.
// - `outbox.personal_data_scrubbed_at`: when a delivered (or finally failed) message lost its
//   address and texts after the grace period.
// Portable as the others: text ids and ISO times, integer counts.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('company_id', 'text', (col) => col.notNull().references('companies.id'))
    .addColumn('at', 'text', (col) => col.notNull())
    .addColumn('actor_kind', 'text', (col) => col.notNull())
    .addColumn('actor_user_id', 'text')
    .addColumn('actor_api_key_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('subject_type', 'text', (col) => col.notNull())
    .addColumn('subject_id', 'text')
    .addColumn('detail', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('audit_log_company_at').on('audit_log').columns(['company_id', 'at']).execute();

  await db.schema
    .alterTable('companies')
    .addColumn('personal_data_retention_years', 'integer', (col) => col.notNull().defaultTo(10))
    .execute();

  await db.schema
    .createTable('retention_runs')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('company_id', 'text', (col) => col.notNull().references('companies.id'))
    .addColumn('day', 'text', (col) => col.notNull())
    .addColumn('started_at', 'text', (col) => col.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('cases_anonymised', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('files_deleted', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('outbox_scrubbed', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('retention_runs_once_a_day')
    .on('retention_runs')
    .columns(['company_id', 'day'])
    .unique()
    .execute();

  await db.schema.alterTable('cases').addColumn('personal_data_removed_at', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('personal_data_scrubbed_at', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('personal_data_scrubbed_at').execute();
  await db.schema.alterTable('cases').dropColumn('personal_data_removed_at').execute();
  await db.schema.dropTable('retention_runs').execute();
  await db.schema.alterTable('companies').dropColumn('personal_data_retention_years').execute();
  await db.schema.dropTable('audit_log').execute();
}
