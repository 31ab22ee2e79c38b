import { createCompany } from '../companies/companies.ts';
import { countCompanies } from '../companies/queries.ts';
import type { Db } from '../db/database.ts';
import { createOffice, createPartner, createPerson } from '../partners/partners.ts';
import { createUser } from '../users/users.ts';

/** The demo sign-ins printed by `npm start` and used by the browser tests. */
export const DEMO_SIGN_INS = [
  {
    label: 'Company admin (level 6)',
    email: 'admin@demo.kundeside.no',
    password: 'demo-admin-2026',
    level: 6,
  },
  {
    label: 'Case handler (level 1)',
    email: 'saksbehandler@demo.kundeside.no',
    password: 'demo-handler-2026',
    level: 1,
  },
] as const;

/**
 * Loads the demo company on an empty database: its two users and two partners with offices and
 * persons. Later features extend this so the demo always shows every feature. Returns whether it ran.
 */
export async function seedDemoIfEmpty(db: Db): Promise<boolean> {
  if ((await countCompanies(db)) > 0) return false;
  await db.transaction().execute((trx) => seedDemo(trx));
  return true;
}

async function seedDemo(db: Db): Promise<void> {
  const { id: companyId } = await createCompany(db, {
    name: 'Demo Forsikring AS',
    orgNumber: '999888777',
    portalType: 'insurance',
  });
  await createUser(db, companyId, {
    name: 'Ada Admin',
    email: DEMO_SIGN_INS[0].email,
    password: DEMO_SIGN_INS[0].password,
    level: 6,
    phone: '+4791000001',
  });
  await createUser(db, companyId, {
    name: 'Jørn Saksbehandler',
    email: DEMO_SIGN_INS[1].email,
    password: DEMO_SIGN_INS[1].password,
    level: 1,
    phone: '+4791000002',
  });

  const takst = await createPartner(db, companyId, { name: 'Nordisk Takst AS', orgNumber: '912345670' });
  const oslo = await createOffice(db, companyId, takst.id, {
    name: 'Nordisk Takst Oslo',
    phone: '+4722000100',
    email: 'oslo@nordisktakst.example',
  });
  await createPerson(db, companyId, oslo.id, {
    name: 'Kari Inspektør',
    phone: '+4790000101',
    email: 'kari@nordisktakst.example',
  });
  await createPerson(db, companyId, oslo.id, { name: 'Per Takstmann', phone: '+4790000102' });
  const bergen = await createOffice(db, companyId, takst.id, {
    name: 'Nordisk Takst Bergen',
    phone: '+4755000100',
  });
  await createPerson(db, companyId, bergen.id, { name: 'Siri Vik', phone: '+4790000103' });

  const bygg = await createPartner(db, companyId, {
    name: 'Fjordbygg Entreprenør AS',
    orgNumber: '923456781',
  });
  const byggOffice = await createOffice(db, companyId, bygg.id, {
    name: 'Fjordbygg Drammen',
    phone: '+4732000200',
  });
  await createPerson(db, companyId, byggOffice.id, {
    name: 'Ole Tømrer',
    phone: '+4790000201',
    email: 'ole@fjordbygg.example',
  });
  await createPerson(db, companyId, byggOffice.id, { name: 'Lise Prosjektleder', phone: '+4790000202' });
}
