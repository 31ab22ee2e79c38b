import {
  createCompanySchema,
  updateCompanySchema,
  type CreateCompanyInput,
} from '../../common/contracts/schemas.ts';
import type { CompanyView } from '../../common/contracts/api.ts';
import { defaultQuietHours, type QuietHours } from '../../common/rules/quiet-hours.ts';
import { type Actor, authorize } from '../security/actor.ts';
import { companyPolicy } from './policy.ts';
import type { Db } from '../db/database.ts';
import { inTransaction, nowIso } from '../db/database.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { CompaniesTable } from '../db/schema.ts';
import { notFound } from '../errors.ts';
import { newId } from '../security/tokens.ts';
import { findCompany, insertCompany, lockCompanyRow, updateCompanyRow } from './queries.ts';
import type { z } from 'zod';

/**
 * Creates a company (a portal). Operators do this from the admin command line. Its customer notices
 * keep the product's quiet hours (21 → 8 Oslo) unless `options.quietHours` says otherwise.
 */
export async function createCompany(
  db: Db,
  input: CreateCompanyInput,
  options: { quietHours?: QuietHours } = {},
): Promise<{ id: string }> {
  const { name, orgNumber, portalType } = createCompanySchema.parse(input);
  const id = newId();
  const quietHours = options.quietHours ?? defaultQuietHours;
  await insertCompany(db, {
    id,
    name,
    org_number: orgNumber ?? null,
    portal_type: portalType,
    logo_key: null,
    created_at: nowIso(),
    page_version: 0,
    quiet_hours_from: quietHours.quietHoursFrom,
    quiet_hours_to: quietHours.quietHoursTo,
  });
  return { id };
}

/** The actor's own company. */
export async function getOwnCompany(db: Db, actor: Actor): Promise<CompaniesTable> {
  const company = await findCompany(db, actor.companyId);
  if (!company) throw notFound();
  return company;
}

/** Changes the name, organisation number or settlement VAT default of the actor's company (company admin only). */
export async function updateOwnCompany(
  db: Db,
  actor: Actor,
  input: z.input<typeof updateCompanySchema>,
): Promise<CompaniesTable> {
  authorize(actor, companyPolicy.update);
  const values = updateCompanySchema.parse(input);
  await inTransaction(db, async (trx) => {
    // Read under the row's lock, so two saves at once audit only what each really changed.
    await lockCompanyRow(trx, actor.companyId);
    const before = await findCompany(trx, actor.companyId);
    await updateCompanyRow(trx, actor.companyId, {
      ...(values.name !== undefined && { name: values.name }),
      ...(values.orgNumber !== undefined && { org_number: values.orgNumber }),
      ...(values.cashSettlementIncludesVat !== undefined && {
        cash_settlement_includes_vat: values.cashSettlementIncludesVat ? 1 : 0,
      }),
      ...(values.personalDataRetentionYears !== undefined && {
        personal_data_retention_years: values.personalDataRetentionYears,
      }),
    });
    if (before) await auditCompanyChange(trx, actor, presentCompany(before), values);
  });
  return getOwnCompany(db, actor);
}

/** One audit line naming the company's changed fields, old → new, in the change's transaction; none when unchanged. */
async function auditCompanyChange(
  trx: Db,
  actor: Actor,
  before: CompanyView,
  values: z.output<typeof updateCompanySchema>,
): Promise<void> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [field, value] of Object.entries(values)) {
    const from = before[field as keyof CompanyView];
    if (value !== undefined && value !== from) changes[field] = { from, to: value };
  }
  if (Object.keys(changes).length === 0) return;
  await recordAudit(trx, actor, {
    action: 'company.changed',
    subjectType: 'company',
    subjectId: actor.companyId,
    detail: changes,
  });
}

/** The fields of a company that staff see. */
export function presentCompany(row: CompaniesTable): CompanyView {
  return {
    id: row.id,
    name: row.name,
    orgNumber: row.org_number,
    portalType: row.portal_type,
    hasLogo: row.logo_key !== null,
    createdAt: row.created_at,
    cashSettlementIncludesVat: Number(row.cash_settlement_includes_vat ?? 0) === 1,
    personalDataRetentionYears: Number(row.personal_data_retention_years ?? 10),
  };
}
