import type { Kysely } from 'kysely';

// Customer-page configuration (issue 4). Same portable types as the foundation: text ids, ISO text
// times, JSON as text. The logo of the company itself is `companies.logo_key` (foundation).

export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per company once it has saved settings or uploaded a customer-page logo; absent = defaults.
  await db.schema
    .createTable('customer_page_settings')
    .addColumn('company_id', 'text', (c) => c.primaryKey().references('companies.id'))
    /** Every setting as one JSON object (common/rules/customer-page-settings.ts). */
    .addColumn('settings', 'text', (c) => c.notNull())
    /** Content hash of the uploaded customer-page logo (its renditions are stored under logos/). */
    .addColumn('logo_key', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    /** Id of the user or API key that saved last. */
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
  // GET /logos/<key>-<h>.png serves a file only while some row names its key as the current logo.
  await db.schema
    .createIndex('customer_page_settings_logo_idx')
    .on('customer_page_settings')
    .column('logo_key')
    .execute();
  await db.schema.createIndex('companies_logo_idx').on('companies').column('logo_key').execute();

  // Who changed which setting when, old → new (spec §3); append-only.
  await db.schema
    .createTable('customer_page_audit')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    /** A setting name, `colors.<key>` for one colour, `logo` or `companyLogo`. */
    .addColumn('setting', 'text', (c) => c.notNull())
    .addColumn('old_value', 'text')
    .addColumn('new_value', 'text')
    .execute();
  await db.schema
    .createIndex('customer_page_audit_company_at_idx')
    .on('customer_page_audit')
    .columns(['company_id', 'at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('companies_logo_idx').execute();
  await db.schema.dropTable('customer_page_audit').execute();
  await db.schema.dropTable('customer_page_settings').execute();
}
