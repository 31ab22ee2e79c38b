import type { Kysely } from 'kysely';

// Export and erasure of one person's data from a case (issue 19, item 6, part B): when a person's
// data was erased (person-data/). The contact row stays, anonymised, because grants, messages and
// answers refer to it; `erased_at` makes a second erasure a stable 409 and tells staff it happened.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('case_contacts').addColumn('erased_at', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('case_contacts').dropColumn('erased_at').execute();
}
