import { sql, type Kysely } from 'kysely';

// Customer access (issue 5): access grants with their link tokens, customer sessions, SMS security
// codes, the transactional outbox of e-mail and SMS, and the per-case "send link" override.
// Same portable types as before: text ids, ISO text times, integer 0/1 booleans.

const oneOf = (column: string, values: string[]) =>
  sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(', ')})`);

const sendLinkValues = ['case_created', 'main_inspection_assigned', 'positive_decision', 'manual'];

export async function up(db: Kysely<unknown>): Promise<void> {
  // Null: the company's setting applies (spec §9 per-case override).
  await db.schema
    .alterTable('cases')
    .addColumn('send_link', 'text', (c) => c.check(oneOf('send_link', sendLinkValues)))
    .execute();

  // One grant per person per case; removing keeps the row (state 'removed'), granting again gives it a
  // new token (only its SHA-256 is stored) and a new link version.
  await db.schema
    .createTable('customer_access')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('case_contacts.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('link_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('state', 'text', (c) => c.notNull().check(oneOf('state', ['active', 'removed'])))
    .addColumn('granted_by_kind', 'text', (c) =>
      c.notNull().check(oneOf('granted_by_kind', ['user', 'api_key', 'system'])),
    )
    .addColumn('granted_by_id', 'text')
    .addColumn('granted_by_name', 'text')
    .addColumn('granted_at', 'text', (c) => c.notNull())
    .addColumn('removed_at', 'text')
    .addColumn('last_used_at', 'text')
    .addUniqueConstraint('customer_access_case_contact_unique', ['case_id', 'contact_id'])
    .execute();

  // The id is the SHA-256 of the session token, which lives only in the customer's cookie.
  await db.schema
    .createTable('customer_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('access_id', 'text', (c) => c.notNull().references('customer_access.id'))
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('code_verified', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('customer_sessions_access_idx')
    .on('customer_sessions')
    .column('access_id')
    .execute();
  await db.schema
    .createIndex('customer_sessions_expires_idx')
    .on('customer_sessions')
    .column('expires_at')
    .execute();

  // One-time codes; only an HMAC of the code is stored.
  await db.schema
    .createTable('sms_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('access_id', 'text', (c) => c.notNull().references('customer_access.id'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('wrong_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('dead', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('sms_codes_access_created_idx')
    .on('sms_codes')
    .columns(['access_id', 'created_at'])
    .execute();

  // Messages written in the transaction of the change that causes them, delivered by the worker.
  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('case_id', 'text', (c) => c.references('cases.id'))
    .addColumn('access_id', 'text', (c) => c.references('customer_access.id'))
    /** What the message is for: 'customer_link', 'sms_code'. */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull().check(oneOf('channel', ['email', 'sms'])))
    .addColumn('recipient', 'text', (c) => c.notNull())
    /** Display name of the sender (the company). */
    .addColumn('sender_name', 'text')
    .addColumn('subject', 'text')
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text')
    /** The secret ({{secret}} in the bodies: a link or a code), sealed with the server secret. */
    .addColumn('secret_sealed', 'text')
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('state', 'text', (c) =>
      c.notNull().check(oneOf('state', ['queued', 'sending', 'sent', 'failed'])),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'text')
    /** 'smtp', 'sms-webhook' or 'dev-mailbox'. */
    .addColumn('delivered_via', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  // The worker's claim: due queued rows, and 'sending' rows whose lock expired.
  await db.schema
    .createIndex('outbox_state_due_idx')
    .on('outbox')
    .columns(['state', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('outbox_state_locked_idx')
    .on('outbox')
    .columns(['state', 'locked_until'])
    .execute();
  await db.schema.createIndex('outbox_access_idx').on('outbox').column('access_id').execute();
  await db.schema
    .createIndex('outbox_company_via_idx')
    .on('outbox')
    .columns(['company_id', 'delivered_via', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('outbox').execute();
  await db.schema.dropTable('sms_codes').execute();
  await db.schema.dropTable('customer_sessions').execute();
  await db.schema.dropTable('customer_access').execute();
  await db.schema.alterTable('cases').dropColumn('send_link').execute();
}
