import type { Kysely } from 'kysely';

// The call history's direction and other party (issue 16, item 4). Calls recorded before were calls
// made through the app — the guide's "number called and name of the person who called" — so existing
// rows become `outgoing`, their other party unnamed (only its number). Portable: two plain columns.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('calls')
    .addColumn('direction', 'text', (c) => c.notNull().defaultTo('outgoing'))
    .execute();
  await db.schema.alterTable('calls').addColumn('party_name', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('calls').dropColumn('party_name').execute();
  await db.schema.alterTable('calls').dropColumn('direction').execute();
}
