import type { Kysely } from 'kysely';

// Satisfaction after closing (issue 19, item 4): one answer (1–5 and an optional comment) per person
// with access and case, asked on the closed case's page. The handler at the time of the answer is
// kept, so results per handler stay right when the case changes hands later. Portable: text ids and
// times, an integer score, one unique index that makes "answer once" hold under parallel requests.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('satisfaction_answers')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('company_id', 'text', (col) => col.notNull().references('companies.id'))
    .addColumn('case_id', 'text', (col) => col.notNull().references('cases.id'))
    .addColumn('access_id', 'text', (col) => col.notNull().references('customer_access.id'))
    .addColumn('score', 'integer', (col) => col.notNull())
    .addColumn('comment', 'text')
    .addColumn('case_handler_id', 'text')
    .addColumn('answered_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('satisfaction_answers_once')
    .on('satisfaction_answers')
    .columns(['case_id', 'access_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('satisfaction_answers_company')
    .on('satisfaction_answers')
    .columns(['company_id', 'answered_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('satisfaction_answers').execute();
}
