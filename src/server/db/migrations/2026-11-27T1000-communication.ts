import { sql, type Kysely } from 'kysely';

// Customer communication (issue 7): one message thread per case, message attachments (documents of
// the case's library), the staff notification list, and extra link tokens for the customer
// notifications that carry a link. Same portable types as before: text ids, ISO text times.

const oneOf = (column: string, values: string[]) =>
  sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(', ')})`);

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('case_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('direction', 'text', (c) =>
      c.notNull().check(oneOf('direction', ['to_customer', 'from_customer'])),
    )
    .addColumn('sender_kind', 'text', (c) =>
      c.notNull().check(oneOf('sender_kind', ['user', 'api_key', 'customer'])),
    )
    /** The user, API key or customer-access grant that wrote it. */
    .addColumn('sender_id', 'text', (c) => c.notNull())
    .addColumn('sender_name', 'text', (c) => c.notNull())
    .addColumn('sender_email', 'text')
    /** Plain text; empty when the message is only files. */
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    /** A customer's message: when staff marked it read (null: unread). Staff messages: null. */
    .addColumn('read_at', 'text')
    .execute();
  await db.schema
    .createIndex('case_messages_case_created_idx')
    .on('case_messages')
    .columns(['case_id', 'created_at'])
    .execute();
  // The dashboard's and the banner's "unread messages from the customer": a partial index holding only
  // the unread ones (queries must name the predicate's values literally for SQLite to use it).
  await db.schema
    .createIndex('case_messages_unread_idx')
    .on('case_messages')
    .columns(['company_id', 'case_id'])
    .where(sql.ref('direction'), '=', sql.lit('from_customer'))
    .where(sql.ref('read_at'), 'is', null)
    .execute();

  // Files of a message: documents of the case's library (so a customer's upload is in the library too).
  await db.schema
    .createTable('message_attachments')
    .addColumn('document_id', 'text', (c) => c.primaryKey().references('documents.id'))
    .addColumn('message_id', 'text', (c) => c.notNull().references('case_messages.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('message_attachments_message_idx')
    .on('message_attachments')
    .columns(['message_id', 'position'])
    .execute();

  // The staff app's notification list (spec §10: "the case handler receives a notification").
  await db.schema
    .createTable('staff_notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('message_id', 'text', (c) => c.references('case_messages.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(oneOf('kind', ['customer_message'])))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .execute();
  await db.schema
    .createIndex('staff_notifications_user_idx')
    .on('staff_notifications')
    .columns(['user_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('staff_notifications_message_user_unique')
    .on('staff_notifications')
    .columns(['message_id', 'user_id'])
    .unique()
    .execute();

  // Links sent with message notifications: each its own token (only its SHA-256 stored), valid
  // while the grant is active and still at the same link version.
  await db.schema
    .createTable('customer_link_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('access_id', 'text', (c) => c.notNull().references('customer_access.id'))
    .addColumn('link_version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('customer_link_tokens_access_idx')
    .on('customer_link_tokens')
    .column('access_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('customer_link_tokens').execute();
  await db.schema.dropTable('staff_notifications').execute();
  await db.schema.dropTable('message_attachments').execute();
  await db.schema.dropTable('case_messages').execute();
}
