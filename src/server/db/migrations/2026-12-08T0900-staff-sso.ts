import type { Kysely } from 'kysely';

// Staff single sign-on per company (issue 18, part 1): one OpenID Provider per company (its client
// secret sealed under the server secret, never stored in clear), whether it is enabled, and whether
// password sign-in is refused for the company's users ("SSO only").

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('staff_sso')
    .addColumn('company_id', 'text', (c) => c.primaryKey().references('companies.id'))
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    /** The client secret sealed with the server secret (outbox/sealing.ts). */
    .addColumn('client_secret_sealed', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('sso_only', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    /** Id of the user or API key that saved last. */
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('staff_sso').execute();
}
