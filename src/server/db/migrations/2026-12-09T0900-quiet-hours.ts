import type { Kysely } from 'kysely';

// Quiet hours for customer notices (issue 19, item 5): per company, whole Europe/Oslo hours 0–23
// (`from` the first quiet hour, `to` the first loud one); both null: none. Existing companies get the
// product default 21 → 8 (the column default); the service sets them explicitly for a new company.
// Portable: two nullable integer columns.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('companies')
    .addColumn('quiet_hours_from', 'integer', (col) => col.defaultTo(21))
    .execute();
  await db.schema
    .alterTable('companies')
    .addColumn('quiet_hours_to', 'integer', (col) => col.defaultTo(8))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('companies').dropColumn('quiet_hours_to').execute();
  await db.schema.alterTable('companies').dropColumn('quiet_hours_from').execute();
}
