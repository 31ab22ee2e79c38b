import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Outbound webhooks (issue 18, part 4): a company's endpoints (URL, event kinds, the signing secret
// sealed with the server secret) and the delivery log, one row per event × endpoint (and per replay)
// beside its outbox row. The outbox gets the channel 'webhook': its CHECK named only 'email' and
// 'sms'. PostgreSQL replaces the constraint; SQLite cannot alter a CHECK, so the table is rebuilt
// from its own stored definition with the one list widened (the documented 12-step procedure: new
// table, copy, drop, rename, indexes again; nothing references outbox, so no foreign key is touched).
// Same portable types as before: text ids, ISO text times, integer 0/1 booleans.

const isPostgres = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof PostgresAdapter;

const CHANNEL_CHECK_BEFORE = "channel in ('email', 'sms')";
const CHANNEL_CHECK_AFTER = "channel in ('email', 'sms', 'webhook')";

export async function up(db: Kysely<unknown>): Promise<void> {
  await setChannelCheck(db, CHANNEL_CHECK_BEFORE, CHANNEL_CHECK_AFTER);

  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('event_kinds', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('disabled_reason', 'text', (c) => c.check(sql`disabled_reason in ('gone')`))
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('previous_secret_sealed', 'text')
    .addColumn('previous_secret_until', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webhook_endpoints_company_idx')
    .on('webhook_endpoints')
    .columns(['company_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('endpoint_id', 'text', (c) => c.notNull().references('webhook_endpoints.id'))
    .addColumn('outbox_id', 'text', (c) => c.notNull().unique().references('outbox.id'))
    .addColumn('outbox_key', 'text', (c) => c.notNull().unique())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event_kind', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('replay_of', 'text')
    .addColumn('last_status', 'integer')
    .addColumn('last_attempt_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // The delivery log of an endpoint, newest first; the replay's "already waiting?" by event.
  await db.schema
    .createIndex('webhook_deliveries_endpoint_idx')
    .on('webhook_deliveries')
    .columns(['endpoint_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_event_idx')
    .on('webhook_deliveries')
    .columns(['endpoint_id', 'event_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('webhook_deliveries').execute();
  await db.schema.dropTable('webhook_endpoints').execute();
  await sql`delete from outbox where channel = 'webhook'`.execute(db);
  await setChannelCheck(db, CHANNEL_CHECK_AFTER, CHANNEL_CHECK_BEFORE);
}

/** Replaces the outbox's channel CHECK `from` by `to`. */
async function setChannelCheck(db: Kysely<unknown>, from: string, to: string): Promise<void> {
  if (isPostgres(db)) {
    // The name PostgreSQL gave the column's CHECK in the customer-access migration.
    await sql`alter table outbox drop constraint outbox_channel_check`.execute(db);
    await sql`alter table outbox add constraint outbox_channel_check check (${sql.raw(to)})`.execute(db);
    return;
  }
  const objects = await sql<{ type: string; name: string; sql: string | null }>`
    select type, name, sql from sqlite_master where tbl_name = 'outbox'`.execute(db);
  const table = objects.rows.find((row) => row.type === 'table');
  if (!table?.sql?.includes(from)) throw new Error(`outbox: the channel check "${from}" was not found`);
  const indexes = objects.rows.filter((row) => row.type === 'index' && row.sql !== null);
  const rebuilt = table.sql
    .replace(from, to)
    .replace(/^create table "?outbox"?/i, 'create table "outbox_rebuilt"');
  await sql.raw(rebuilt).execute(db);
  await sql`insert into outbox_rebuilt select * from outbox`.execute(db);
  await sql`drop table outbox`.execute(db);
  await sql`alter table outbox_rebuilt rename to outbox`.execute(db);
  for (const index of indexes) await sql.raw(index.sql ?? '').execute(db);
}
