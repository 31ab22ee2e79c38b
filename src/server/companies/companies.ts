import {
  createCompanySchema,
  updateCompanySchema,
  type CreateCompanyInput,
} from '../../common/contracts/schemas.ts';
import type { CompanyView } from '../../common/contracts/api.ts';
import { type Actor, authorize } from '../security/actor.ts';
import { companyPolicy } from './policy.ts';
import type { Db } from '../db/database.ts';
import { nowIso } from '../db/database.ts';
import type { CompaniesTable } from '../db/schema.ts';
import { notFound } from '../errors.ts';
import { newId } from '../security/tokens.ts';
import { findCompany, insertCompany, updateCompanyRow } from './queries.ts';
import type { z } from 'zod';

/** Creates a company (a portal). Operators do this from the admin command line. */
export async function createCompany(db: Db, input: CreateCompanyInput): Promise<{ id: string }> {
  const { name, orgNumber, portalType } = createCompanySchema.parse(input);
  const id = newId();
  await insertCompany(db, {
    id,
    name,
    org_number: orgNumber ?? null,
    portal_type: portalType,
    logo_key: null,
    created_at: nowIso(),
    page_version: 0,
  });
  return { id };
}

/** The actor's own company. */
export async function getOwnCompany(db: Db, actor: Actor): Promise<CompaniesTable> {
  const company = await findCompany(db, actor.companyId);
  if (!company) throw notFound();
  return company;
}

/** Changes the name or organisation number of the actor's company (company admin only). */
export async function updateOwnCompany(
  db: Db,
  actor: Actor,
  input: z.input<typeof updateCompanySchema>,
): Promise<CompaniesTable> {
  authorize(actor, companyPolicy.update);
  const values = updateCompanySchema.parse(input);
  await updateCompanyRow(db, actor.companyId, {
    ...(values.name !== undefined && { name: values.name }),
    ...(values.orgNumber !== undefined && { org_number: values.orgNumber }),
  });
  return getOwnCompany(db, actor);
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
  };
}
