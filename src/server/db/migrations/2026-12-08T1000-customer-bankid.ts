import type { Kysely } from 'kysely';

// Customer identification with BankID through an OIDC broker (issue 18, part 2). One broker per
// company (its client secret sealed under the server secret, never stored in clear); the session
// and the grant record how the customer was identified, the verified name and birth date, and when.
// The national identity number the broker may send is never stored, not even hashed: nothing needs it.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('bankid_brokers')
    .addColumn('company_id', 'text', (c) => c.primaryKey().references('companies.id'))
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    /** The client secret sealed with the server secret (outbox/sealing.ts). */
    .addColumn('client_secret_sealed', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    /** Id of the user or API key that saved last. */
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
  // The session: how it was identified ('sms_code' | 'bankid'; null: the link alone), by whom, when;
  // and the last BankID attempt's problem ('failed' | 'unavailable') for the page to show.
  for (const column of [
    'identified_by',
    'verified_name',
    'verified_birth_date',
    'identified_at',
    'bankid_problem',
  ]) {
    await db.schema.alterTable('customer_sessions').addColumn(column, 'text').execute();
  }
  // The grant: its latest identification (staff see who opened the page and how, after the
  // session is gone).
  for (const column of ['identified_by', 'identified_name', 'identified_birth_date', 'identified_at']) {
    await db.schema.alterTable('customer_access').addColumn(column, 'text').execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['identified_at', 'identified_birth_date', 'identified_name', 'identified_by']) {
    await db.schema.alterTable('customer_access').dropColumn(column).execute();
  }
  for (const column of [
    'bankid_problem',
    'identified_at',
    'verified_birth_date',
    'verified_name',
    'identified_by',
  ]) {
    await db.schema.alterTable('customer_sessions').dropColumn(column).execute();
  }
  await db.schema.dropTable('bankid_brokers').execute();
}
