import type { Kysely } from 'kysely';

// The customer settlement (issue 20): a case's settlements in versions (draft → approved → superseded
// when a later version is approved), each with its lines. Approved rows are never changed again except
// that status moving to `superseded`; a new version copies the lines into a new draft. Money is bigint
// øre, percentages integer basis points, booleans 0/1. `revision` moves on with every write of a
// version, so an editor's stale copy is refused (409). The unique (case_id, version) makes two
// simultaneous "new version" requests create one row. Also: the company's default of VAT on cash
// settlements, and the amount an answered quote came in at (cost control's "quoted"; nullable: quotes
// recorded before, or without an amount).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('settlements')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('company_id', 'text', (col) => col.notNull().references('companies.id'))
    .addColumn('case_id', 'text', (col) => col.notNull().references('cases.id'))
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('revision', 'integer', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('deductible_ore', 'bigint', (col) => col.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('approved_by', 'text')
    .addColumn('supersedes_id', 'text', (col) => col.references('settlements.id'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('settlements_case_version')
    .on('settlements')
    .columns(['case_id', 'version'])
    .unique()
    .execute();
  await db.schema
    .createTable('settlement_lines')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('settlement_id', 'text', (col) => col.notNull().references('settlements.id'))
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('claimed_ore', 'bigint', (col) => col.notNull())
    .addColumn('depreciation_basis_points', 'integer', (col) => col.notNull())
    .addColumn('depreciation_reason', 'text')
    .addColumn('vat_included', 'integer', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('settlement_lines_order')
    .on('settlement_lines')
    .columns(['settlement_id', 'position'])
    .unique()
    .execute();
  await db.schema
    .alterTable('companies')
    .addColumn('cash_settlement_includes_vat', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('quote_requests').addColumn('amount_ore', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('quote_requests').dropColumn('amount_ore').execute();
  await db.schema.alterTable('companies').dropColumn('cash_settlement_includes_vat').execute();
  await db.schema.dropTable('settlement_lines').execute();
  await db.schema.dropTable('settlements').execute();
}
