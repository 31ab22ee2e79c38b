import type { Kysely } from 'kysely';

// SMS delivery reports (issue 18, part 5): what the SMS provider reported about a message it took
// from us — 'delivered' (to the phone) or 'failed' (with the provider's reason) — and the time of
// that report. Separate from `state`, which is only whether the provider accepted the message: a
// report never changes our delivery (no retry, no second message), it only tells staff the truth.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('provider_status', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('provider_status_at', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('provider_error', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('provider_error').execute();
  await db.schema.alterTable('outbox').dropColumn('provider_status_at').execute();
  await db.schema.alterTable('outbox').dropColumn('provider_status').execute();
}
