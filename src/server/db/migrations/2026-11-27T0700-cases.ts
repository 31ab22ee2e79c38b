import { sql, type Kysely } from 'kysely';

// Case management (issue 3). Same portable types as the foundation: text ids, ISO text times,
// 'YYYY-MM-DD' text for calendar dates (Europe/Oslo), integer 0/1 booleans, bigint øre for money.

const check = (expression: string) => sql.raw(expression);
const oneOf = (column: string, values: string[]) =>
  check(`${column} in (${values.map((v) => `'${v}'`).join(', ')})`);

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('claim_number', 'text', (c) => c.notNull())
    .addColumn('street', 'text', (c) => c.notNull())
    .addColumn('postal_code', 'text', (c) => c.notNull())
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(oneOf('status', ['open', 'on_hold', 'closed', 'cancelled'])),
    )
    .addColumn('claim_decision', 'text', (c) =>
      c.check(oneOf('claim_decision', ['accepted', 'rejected', 'needs_more_information'])),
    )
    .addColumn('claim_decision_at', 'text')
    .addColumn('case_handler_id', 'text', (c) => c.references('users.id'))
    .addColumn('external_case_handler_id', 'text', (c) => c.references('persons.id'))
    .addColumn('technical_advisor_id', 'text', (c) => c.references('users.id'))
    .addColumn('project_manager_id', 'text', (c) => c.references('persons.id'))
    .addColumn('project_management_office_id', 'text', (c) => c.references('offices.id'))
    .addColumn('quality_control', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('main_inspection_assigned_at', 'text')
    .addColumn('positive_decision_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('cases_claim_number_unique', ['company_id', 'claim_number'])
    .execute();
  await db.schema
    .createIndex('cases_company_created_idx')
    .on('cases')
    .columns(['company_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('cases_company_status_idx')
    .on('cases')
    .columns(['company_id', 'status', 'created_at'])
    .execute();
  await db.schema
    .createIndex('cases_company_handler_idx')
    .on('cases')
    .columns(['company_id', 'case_handler_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('case_contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('role', 'text', (c) =>
      c.notNull().check(oneOf('role', ['customer', 'contact_person', 'other'])),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('case_contacts_case_idx')
    .on('case_contacts')
    .columns(['case_id', 'role'])
    .execute();

  await db.schema
    .createTable('tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(oneOf('kind', ['main_inspection', 'repair'])))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('office_id', 'text', (c) => c.references('offices.id'))
    .addColumn('responsible_id', 'text', (c) => c.references('persons.id'))
    .addColumn('starts_on', 'text')
    .addColumn('ends_on', 'text')
    .addColumn('meeting_at', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(oneOf('status', ['not_started', 'started', 'finished'])),
    )
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tasks_case_idx').on('tasks').columns(['case_id', 'created_at']).execute();
  await db.schema
    .createIndex('tasks_company_meeting_idx')
    .on('tasks')
    .columns(['company_id', 'meeting_at'])
    .execute();

  await db.schema
    .createTable('case_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('case_events_case_idx')
    .on('case_events')
    .columns(['case_id', 'occurred_at'])
    .execute();

  await db.schema
    .createTable('calls')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('caller_name', 'text', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('reached', 'integer', (c) => c.notNull())
    .addColumn('duration_seconds', 'integer', (c) => c.notNull())
    .addColumn('called_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('calls_case_idx').on('calls').columns(['case_id', 'called_at']).execute();

  await db.schema
    .createTable('documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('task_id', 'text', (c) => c.references('tasks.id'))
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .check(oneOf('kind', ['inspection_report', 'customer_settlement_report', 'other', 'task_media'])),
    )
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('uploaded_by_kind', 'text', (c) =>
      c.notNull().check(oneOf('uploaded_by_kind', ['staff', 'partner', 'customer'])),
    )
    .addColumn('uploaded_by_id', 'text')
    .addColumn('uploaded_by_name', 'text')
    .addColumn('seen_at', 'text')
    .addColumn('shared_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('documents_case_idx')
    .on('documents')
    .columns(['case_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('documents_unseen_idx')
    .on('documents')
    .columns(['company_id', 'uploaded_by_kind', 'seen_at'])
    .execute();

  await db.schema
    .createTable('reminders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('reminders_open_idx')
    .on('reminders')
    .columns(['company_id', 'done_at', 'due_on'])
    .execute();
  await db.schema.createIndex('reminders_case_idx').on('reminders').column('case_id').execute();

  await db.schema
    .createTable('quote_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('office_id', 'text', (c) => c.references('offices.id'))
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('deadline_on', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(oneOf('status', ['pending', 'answered'])))
    .addColumn('answered_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('quote_requests_pending_idx')
    .on('quote_requests')
    .columns(['company_id', 'status', 'deadline_on'])
    .execute();
  await db.schema.createIndex('quote_requests_case_idx').on('quote_requests').column('case_id').execute();

  await db.schema
    .createTable('invoices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('office_id', 'text', (c) => c.references('offices.id'))
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('amount_ore', 'bigint', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(oneOf('status', ['awaiting_approval', 'approved'])))
    .addColumn('approved_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('invoices_status_idx')
    .on('invoices')
    .columns(['company_id', 'status', 'due_on'])
    .execute();
  await db.schema.createIndex('invoices_case_idx').on('invoices').column('case_id').execute();

  await db.schema
    .createTable('budget_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('amount_ore', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('budget_lines_case_idx')
    .on('budget_lines')
    .columns(['case_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'budget_lines',
    'invoices',
    'quote_requests',
    'reminders',
    'documents',
    'calls',
    'case_events',
    'tasks',
    'case_contacts',
    'cases',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
