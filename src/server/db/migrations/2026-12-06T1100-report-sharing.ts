import type { Kysely } from 'kysely';

// Reports shared by a milestone rule (issue 16 item 1): who shared a document by hand, a report staff
// withheld from the automatic rule (and who), and when the automatic share was announced to the
// customer (its news entry, written once). Portable: plain nullable text columns.

const columns = ['shared_by_name', 'withheld_at', 'withheld_by_name', 'auto_shared_at'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const column of columns) await db.schema.alterTable('documents').addColumn(column, 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of [...columns].reverse()) {
    await db.schema.alterTable('documents').dropColumn(column).execute();
  }
}
