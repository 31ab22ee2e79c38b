import type { Kysely } from 'kysely';

// The customer page's read model (issue 13): the finished answer of GET /api/customer/page, stored
// per case × grant × language and stamped with the versions it was built from:
// - `cases.version`: bumped by the write path of case work on every change of the case;
// - `companies.page_version`: bumped by every change of what the customer pages of a company show
//   besides their case (name, logo, customer-page settings and logo, a user's name or phone).
// A stored answer whose stamps differ from the current versions is never sent (it is built again).
// Portable: plain columns with defaults, one table with a composite primary key.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('cases')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('companies')
    .addColumn('page_version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('customer_page_models')
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('access_id', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('case_version', 'integer', (c) => c.notNull())
    .addColumn('company_version', 'integer', (c) => c.notNull())
    .addColumn('valid_until', 'text')
    .addColumn('etag', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('built_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_page_models_pkey', ['case_id', 'access_id', 'language'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('customer_page_models').execute();
  await db.schema.alterTable('companies').dropColumn('page_version').execute();
  await db.schema.alterTable('cases').dropColumn('version').execute();
}
