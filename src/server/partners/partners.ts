import type { PartnerView } from '../../common/contracts/api.ts';
import type { Page, PageRequest } from '../../common/contracts/paging.ts';
import {
  createOfficeSchema,
  createPartnerSchema,
  createPersonSchema,
  type CreateOfficeInput,
  type CreatePartnerInput,
  type CreatePersonInput,
} from '../../common/contracts/schemas.ts';
import { type Actor, authorize, requireSameCompany } from '../security/actor.ts';
import type { Db } from '../db/database.ts';
import { nowIso } from '../db/database.ts';
import { fetchPage } from '../db/paging.ts';
import type { PartnersTable } from '../db/schema.ts';
import { notFound } from '../errors.ts';
import { newId } from '../security/tokens.ts';
import { partnerPolicy } from './policy.ts';
import {
  findOffice,
  findPartner,
  insertOffice,
  insertPartner,
  insertPerson,
  listOfficesOfPartners,
  partnersOfCompany,
  listPersonsOfOffices,
} from './queries.ts';

/** Creates a partner (inspection firm or contractor) of a company. */
export async function createPartner(
  db: Db,
  companyId: string,
  input: CreatePartnerInput,
): Promise<{ id: string }> {
  const values = createPartnerSchema.parse(input);
  const id = newId();
  await insertPartner(db, {
    id,
    company_id: companyId,
    name: values.name,
    org_number: values.orgNumber ?? null,
    created_at: nowIso(),
  });
  return { id };
}

/** Creates an office of a partner; the partner must belong to `companyId`. */
export async function createOffice(
  db: Db,
  companyId: string,
  partnerId: string,
  input: CreateOfficeInput,
): Promise<{ id: string }> {
  const values = createOfficeSchema.parse(input);
  const partner = await findPartner(db, partnerId);
  if (!partner || partner.company_id !== companyId) throw notFound('Partner not found.');
  const id = newId();
  await insertOffice(db, {
    id,
    company_id: companyId,
    partner_id: partnerId,
    name: values.name,
    phone: values.phone ?? null,
    email: values.email ?? null,
    created_at: nowIso(),
  });
  return { id };
}

/** Creates a person working in an office; the office must belong to `companyId`. */
export async function createPerson(
  db: Db,
  companyId: string,
  officeId: string,
  input: CreatePersonInput,
): Promise<{ id: string }> {
  const values = createPersonSchema.parse(input);
  const office = await findOffice(db, officeId);
  if (!office || office.company_id !== companyId) throw notFound('Office not found.');
  const id = newId();
  await insertPerson(db, {
    id,
    company_id: companyId,
    office_id: officeId,
    name: values.name,
    phone: values.phone ?? null,
    email: values.email ?? null,
    created_at: nowIso(),
  });
  return { id };
}

/** The company of a partner or office, for the operator's command line, which stands above tenants. */
export const companyOfPartner = async (db: Db, partnerId: string) =>
  (await findPartner(db, partnerId))?.company_id;
export const companyOfOffice = async (db: Db, officeId: string) =>
  (await findOffice(db, officeId))?.company_id;

/** One page of the partners of the actor's company, by name, with their offices and persons. */
export async function listPartners(db: Db, actor: Actor, paging: PageRequest): Promise<Page<PartnerView>> {
  authorize(actor, partnerPolicy.list);
  const page = await fetchPage(partnersOfCompany(db, actor.companyId), paging, (row) => row);
  return { ...page, items: await presentPartners(db, actor.companyId, page.items) };
}

/** One partner of the actor's company; 404 for another company's. */
export async function getPartner(db: Db, actor: Actor, id: string): Promise<PartnerView> {
  authorize(actor, partnerPolicy.list);
  const partner = requireSameCompany(actor, await findPartner(db, id));
  const [view] = await presentPartners(db, actor.companyId, [partner]);
  if (!view) throw notFound();
  return view;
}

/** Creates a partner in the actor's company (company admin). */
export async function createPartnerAs(db: Db, actor: Actor, input: CreatePartnerInput) {
  authorize(actor, partnerPolicy.manage);
  return createPartner(db, actor.companyId, input);
}

/** Creates an office of a partner of the actor's company (company admin). */
export async function createOfficeAs(db: Db, actor: Actor, partnerId: string, input: CreateOfficeInput) {
  authorize(actor, partnerPolicy.manage);
  return createOffice(db, actor.companyId, partnerId, input);
}

/** Creates a person in an office of the actor's company (company admin). */
export async function createPersonAs(db: Db, actor: Actor, officeId: string, input: CreatePersonInput) {
  authorize(actor, partnerPolicy.manage);
  return createPerson(db, actor.companyId, officeId, input);
}

async function presentPartners(db: Db, companyId: string, partners: PartnersTable[]): Promise<PartnerView[]> {
  const offices = await listOfficesOfPartners(
    db,
    companyId,
    partners.map((p) => p.id),
  );
  const persons = await listPersonsOfOffices(
    db,
    companyId,
    offices.map((o) => o.id),
  );
  return partners.map((partner) => ({
    id: partner.id,
    name: partner.name,
    orgNumber: partner.org_number,
    offices: offices
      .filter((office) => office.partner_id === partner.id)
      .map((office) => ({
        id: office.id,
        name: office.name,
        phone: office.phone,
        email: office.email,
        persons: persons
          .filter((person) => person.office_id === office.id)
          .map((person) => ({ id: person.id, name: person.name, email: person.email, phone: person.phone })),
      })),
  }));
}
