import type { Kysely } from 'kysely';

// SMS-code lock of a grant (issue 15, item 9): wrong codes in a row are counted on the grant, and
// past the limit the grant is locked (`code_locked_at`) until staff send a new link. Portable: two
// plain columns with defaults.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('customer_access')
    .addColumn('wrong_codes', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('customer_access').addColumn('code_locked_at', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('customer_access').dropColumn('code_locked_at').execute();
  await db.schema.alterTable('customer_access').dropColumn('wrong_codes').execute();
}
