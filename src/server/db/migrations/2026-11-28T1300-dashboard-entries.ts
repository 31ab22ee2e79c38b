import { sql, type Kysely } from 'kysely';

// Staff dashboard at 100 000 cases (issue 13), both kept current by the dashboard's on-change step
// (dashboard/entries.ts) inside every case change:
// - `dashboard_entries`: one row per case and dashboard row, with the date that decides its column
//   (the case lists behind the numbers read it through one index);
// - `dashboard_counts`: how many cases each (company, row, handler, due date) has, so the numbers are
//   a sum over a few dozen rows instead of a count over every entry.
// The step reads one case's open items on every change, so each item table gets a small partial
// index of its open items by case (SQLite uses a partial index only when the query names the
// predicate's values literally; dashboard/queries.ts does). They replace the company-wide indexes the
// old counting queries scanned, which nothing else reads.
// Portable: plain tables, composite primary keys, B-tree indexes; the backfill is plain SQL.

const rows = [
  'reminders',
  'quote_requests',
  'customer_uploads',
  'partner_uploads',
  'invoices_awaiting_approval',
];

const rowCheck = sql.raw(`dashboard_row in (${rows.map((row) => `'${row}'`).join(', ')})`);

/**
 * The per-case partial indexes of open items: [name, table, columns, predicate column, value]. An
 * `is null` predicate's column is in the index too: SQLite treats the index as covering only then.
 */
const openItemIndexes: Array<[string, string, string[], string, string | null]> = [
  ['reminders_open_case_idx', 'reminders', ['case_id', 'due_on', 'done_at'], 'done_at', null],
  ['quote_requests_pending_case_idx', 'quote_requests', ['case_id', 'deadline_on'], 'status', 'pending'],
  ['invoices_awaiting_case_idx', 'invoices', ['case_id', 'due_on'], 'status', 'awaiting_approval'],
  ['documents_unseen_case_idx', 'documents', ['case_id', 'uploaded_by_kind', 'seen_at'], 'seen_at', null],
];

/** The company-wide indexes of the old counting queries: [name, table, columns]. */
const oldIndexes: Array<[string, string, string[]]> = [
  ['reminders_open_idx', 'reminders', ['company_id', 'done_at', 'due_on']],
  ['quote_requests_pending_idx', 'quote_requests', ['company_id', 'status', 'deadline_on']],
  ['invoices_status_idx', 'invoices', ['company_id', 'status', 'due_on']],
  ['documents_unseen_idx', 'documents', ['company_id', 'uploaded_by_kind', 'seen_at']],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [name, table, columns, column, value] of openItemIndexes) {
    const index = db.schema.createIndex(name).on(table).columns(columns);
    await (
      value === null
        ? index.where(sql.ref(column), 'is', null)
        : index.where(sql.ref(column), '=', sql.lit(value))
    ).execute();
  }
  for (const [name] of oldIndexes) await db.schema.dropIndex(name).execute();

  await db.schema
    .createTable('dashboard_entries')
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('dashboard_row', 'text', (c) => c.notNull().check(rowCheck))
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('handler_id', 'text', (c) => c.references('users.id'))
    .addColumn('due_on', 'text')
    .addPrimaryKeyConstraint('dashboard_entries_pkey', ['case_id', 'dashboard_row'])
    .execute();
  // The lists' access path: a company's row (the reminders row: of one handler) by due date.
  await db.schema
    .createIndex('dashboard_entries_list_idx')
    .on('dashboard_entries')
    .columns(['company_id', 'dashboard_row', 'handler_id', 'due_on'])
    .execute();

  // The entries of the cases that exist now. The same rules as dashboard/queries.ts (openItems),
  // written out here so this migration keeps doing what it did when the module changes.
  await sql`
    insert into dashboard_entries (case_id, dashboard_row, company_id, handler_id, due_on)
    select c.id, i.dashboard_row, c.company_id, c.case_handler_id,
      case when count(i.due) = count(*) then min(i.due) end
    from (
      select case_id, 'reminders' as dashboard_row, due_on as due
        from reminders where done_at is null
      union all
      select case_id, 'quote_requests', deadline_on
        from quote_requests where status = 'pending'
      union all
      select case_id, 'customer_uploads', null
        from documents where uploaded_by_kind = 'customer' and seen_at is null
      union all
      select case_id, 'customer_uploads', null
        from case_messages where direction = 'from_customer' and read_at is null
      union all
      select case_id, 'partner_uploads', null
        from documents where uploaded_by_kind = 'partner' and seen_at is null
      union all
      select case_id, 'invoices_awaiting_approval', due_on
        from invoices where status = 'awaiting_approval'
    ) i
    inner join cases c on c.id = i.case_id
    where c.status in ('open', 'on_hold')
    group by c.id, i.dashboard_row, c.company_id, c.case_handler_id
  `.execute(db);

  // Non-null key columns ('' for "none"), so the primary key identifies a bucket on both databases
  // (NULLs are distinct in a unique key). handler_id is '' except in the reminders row, the only row
  // counted per handler; due_on '' is an undated item, and '' sorts before every date (Today).
  await db.schema
    .createTable('dashboard_counts')
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('dashboard_row', 'text', (c) => c.notNull().check(rowCheck))
    .addColumn('handler_id', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('cases', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('dashboard_counts_pkey', ['company_id', 'dashboard_row', 'handler_id', 'due_on'])
    .execute();
  await sql`
    insert into dashboard_counts (company_id, dashboard_row, handler_id, due_on, cases)
    select company_id, dashboard_row, handler_id, due_on, count(*)
    from (
      select company_id, dashboard_row,
        case when dashboard_row = 'reminders' then coalesce(handler_id, '') else '' end as handler_id,
        coalesce(due_on, '') as due_on
      from dashboard_entries
    ) e
    group by company_id, dashboard_row, handler_id, due_on
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [name, table, columns] of oldIndexes) {
    await db.schema.createIndex(name).on(table).columns(columns).execute();
  }
  for (const [name] of openItemIndexes) await db.schema.dropIndex(name).execute();
  await db.schema.dropTable('dashboard_counts').execute();
  await db.schema.dropTable('dashboard_entries').execute();
}
