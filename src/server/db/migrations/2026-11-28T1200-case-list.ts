import { PostgresAdapter, sql, type Kysely } from 'kysely';

// The case list at 100 000 cases (issue 13), both kept on write by on-change steps:
// - `case_counts`: per company, the number of cases of each status and case handler
//   (cases/case-counts.ts), the list's total without counting the cases;
// - `case_search`: one folded text per case (cases/search-text.ts) with a trigram index over it.
//   The index is the one place the two databases differ, so this migration branches on the dialect:
//   - SQLite: an FTS5 table with the trigram tokenizer (case_sensitive 1: the text is folded
//     already, and ø must not match o) over `case_search` as its external content, kept in step by
//     triggers. Its rows are keyed by `fts_key`, an INTEGER PRIMARY KEY, because VACUUM may renumber
//     the implicit rowid of a table without one (such as `cases`), which would point the index at
//     the wrong rows.
//   - PostgreSQL: pg_trgm's GIN operator class, which serves `like '%…%'` (pg_trgm is a trusted
//     extension: the database owner may create it).

const isPostgres = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof PostgresAdapter;

// A type alias, not an interface: withTables wants an index-compatible record.
type BackfillTables = {
  cases: {
    id: string;
    company_id: string;
    claim_number: string;
    street: string;
    postal_code: string;
    city: string;
    created_at: string;
  };
  case_contacts: {
    case_id: string;
    role: string;
    name: string;
    email: string | null;
    phone: string | null;
    created_at: string;
    id: string;
  };
  case_search: { case_id: string; company_id: string; created_at: string; search_text: string };
};

const BATCH = 1_000;

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = isPostgres(db);
  if (postgres) await sql`create extension if not exists pg_trgm`.execute(db);
  let table = db.schema.createTable('case_search');
  if (!postgres) table = table.addColumn('fts_key', 'integer', (c) => c.primaryKey());
  await table
    .addColumn('case_id', 'text', (c) =>
      postgres ? c.primaryKey().references('cases.id') : c.notNull().unique().references('cases.id'),
    )
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull())
    .execute();
  if (postgres) {
    await sql`create index case_search_text_trgm_idx on case_search using gin (search_text gin_trgm_ops)`.execute(
      db,
    );
    // A query of one or two characters has no trigram: PostgreSQL reads a small company's rows
    // through this index instead of scanning every company's. (SQLite scans the table in its own
    // order, which costs less than visiting the rows in an index's order.)
    await db.schema
      .createIndex('case_search_company_created_idx')
      .on('case_search')
      .columns(['company_id', 'created_at', 'case_id'])
      .execute();
  } else {
    await sql`create virtual table case_search_fts using fts5(search_text, content = 'case_search', content_rowid = 'fts_key', tokenize = 'trigram case_sensitive 1')`.execute(
      db,
    );
    await sql`create trigger case_search_fts_insert after insert on case_search begin
        insert into case_search_fts (rowid, search_text) values (new.fts_key, new.search_text);
      end`.execute(db);
    await sql`create trigger case_search_fts_delete after delete on case_search begin
        insert into case_search_fts (case_search_fts, rowid, search_text) values ('delete', old.fts_key, old.search_text);
      end`.execute(db);
    await sql`create trigger case_search_fts_update after update on case_search begin
        insert into case_search_fts (case_search_fts, rowid, search_text) values ('delete', old.fts_key, old.search_text);
        insert into case_search_fts (rowid, search_text) values (new.fts_key, new.search_text);
      end`.execute(db);
  }
  await backfill(db.withTables<BackfillTables>());

  await db.schema
    .createTable('case_counts')
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    // The case handler's user id, or '' for none (a key column cannot be null).
    .addColumn('handler_key', 'text', (c) => c.notNull())
    .addColumn('cases', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_counts_pkey', ['company_id', 'status', 'handler_key'])
    .execute();
  await sql`insert into case_counts (company_id, status, handler_key, cases)
    select company_id, status, coalesce(case_handler_id, ''), count(*) from cases
    group by company_id, status, coalesce(case_handler_id, '')`.execute(db);
}

/**
 * The search text of every existing case, a batch of cases at a time (in id order), computed as the
 * app computed it then ({@link caseSearchText} below; a later change of that text needs a migration
 * that fills it again).
 */
async function backfill(db: Kysely<BackfillTables>): Promise<void> {
  let after = '';
  for (;;) {
    const cases = await db
      .selectFrom('cases')
      .select(['id', 'company_id', 'claim_number', 'street', 'postal_code', 'city', 'created_at'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    const last = cases[cases.length - 1];
    if (!last) return;
    const contacts = await db
      .selectFrom('case_contacts')
      .select(['case_id', 'name', 'email', 'phone'])
      .where(
        'case_id',
        'in',
        cases.map((row) => row.id),
      )
      .where('role', '=', 'customer')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const customers = new Map<string, typeof contacts>();
    for (const contact of contacts) {
      const list = customers.get(contact.case_id);
      if (list) list.push(contact);
      else customers.set(contact.case_id, [contact]);
    }
    await db
      .insertInto('case_search')
      .values(
        cases.map((row) => ({
          case_id: row.id,
          company_id: row.company_id,
          created_at: row.created_at,
          search_text: caseSearchText(row, customers.get(row.id) ?? []),
        })),
      )
      .execute();
    after = last.id;
  }
}

/**
 * The search text of a case as cases/search-text.ts wrote it when this migration was written: each
 * field lower-cased with control characters as spaces, one per line. A migration keeps its own copy
 * (it must write what it wrote the day it ran, and the platform imports no feature); the on-change
 * step writes the text again whenever it differs.
 */
function caseSearchText(
  row: { claim_number: string; street: string; postal_code: string; city: string },
  customers: ReadonlyArray<{ name: string; email: string | null; phone: string | null }>,
): string {
  const fields = [row.claim_number, row.street, row.postal_code, row.city];
  for (const customer of customers) fields.push(customer.name, customer.email ?? '', customer.phone ?? '');
  return fields.map((text) => text.toLowerCase().replace(/\p{Cc}/gu, ' ')).join('\n');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) {
    // The triggers go with their table; the FTS5 table is a table of its own.
    await sql`drop table if exists case_search_fts`.execute(db);
  }
  // pg_trgm stays: another part of the database may use it by then.
  await db.schema.dropTable('case_search').execute();
  await db.schema.dropTable('case_counts').execute();
}
