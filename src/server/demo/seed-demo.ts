import { createCompany } from '../companies/companies.ts';
import { countCompanies } from '../companies/queries.ts';
import { inTransaction, type Db } from '../db/database.ts';
import { createOffice, createPartner, createPerson } from '../partners/partners.ts';
import { createUser } from '../users/users.ts';
import type { Actor } from '../security/actor.ts';
import { seedDemoCases } from './demo-cases.ts';
import { newsKinds } from '../../common/rules/case-events.ts';
import { noQuietHours } from '../../common/rules/quiet-hours.ts';
import {
  defaultCustomerPageSettings,
  type CustomerPageSettings,
} from '../../common/rules/customer-page-settings.ts';
import { saveCustomerPageSettings } from '../customer-page-config/customer-page-config.ts';
import type { FileStorage } from '../storage/file-storage.ts';

/** The demo company's organisation number (how start-up finds it again). */
export const DEMO_ORG_NUMBER = '999888777';

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
 * Loads the demo company on an empty database, in one transaction: its two users, two partners with
 * offices and persons, and about fifteen cases in every state. Later features extend this so the demo always shows every feature. Returns whether it ran.
 */
export async function seedDemoIfEmpty(db: Db, storage: FileStorage): Promise<boolean> {
  if ((await countCompanies(db)) > 0) return false;
  await inTransaction(db, (trx) => seedDemo(trx, storage));
  return true;
}

async function seedDemo(db: Db, storage: FileStorage): Promise<void> {
  // No quiet hours: the demo (and the browser journeys on it) must show its links at any hour.
  const { id: companyId } = await createCompany(
    db,
    { name: 'Demo Forsikring AS', orgNumber: DEMO_ORG_NUMBER, portalType: 'insurance' },
    { quietHours: noQuietHours },
  );
  const admin = await createUser(db, companyId, {
    name: 'Ada Admin',
    email: DEMO_SIGN_INS[0].email,
    password: DEMO_SIGN_INS[0].password,
    level: 6,
    phone: '+4791000001',
  });
  const handler = await createUser(db, companyId, {
    name: 'Jørn Saksbehandler',
    email: DEMO_SIGN_INS[1].email,
    password: DEMO_SIGN_INS[1].password,
    level: 1,
    phone: '+4791000002',
  });

  const offices = new Map<string, string>();
  const persons = new Map<string, string>();
  for (const partner of demoPartners) {
    const { id: partnerId } = await createPartner(db, companyId, {
      name: partner.name,
      orgNumber: partner.orgNumber,
    });
    for (const office of partner.offices) {
      const { id: officeId } = await createOffice(db, companyId, partnerId, office.office);
      offices.set(office.office.name, officeId);
      for (const person of office.persons)
        persons.set(person.name, (await createPerson(db, companyId, officeId, person)).id);
    }
  }

  const lookup = (map: Map<string, string>, kind: string) => (name: string) => {
    const id = map.get(name);
    if (!id) throw new Error(`demo data names an unknown ${kind}: ${name}`);
    return id;
  };
  const actor: Actor = { kind: 'staff', userId: admin.id, companyId, level: 6, sessionId: 'demo-seed' };
  // Every tab of the customer page shows on an accepted case (SK-2026-1005); no SMS code, so the
  // printed demo link opens the page directly.
  await saveCustomerPageSettings(db, actor, demoCustomerPageSettings);
  await seedDemoCases(db, actor, {
    office: lookup(offices, 'office'),
    person: lookup(persons, 'person'),
    storage,
    user: (email) => (email === DEMO_SIGN_INS[1].email ? handler.id : admin.id),
  });
}

/** Two partners: an inspection firm with two offices and a contractor. */
const demoPartners = [
  {
    name: 'Nordisk Takst AS',
    orgNumber: '912345670',
    offices: [
      {
        office: { name: 'Nordisk Takst Oslo', phone: '+4722000100', email: 'oslo@nordisktakst.example' },
        persons: [
          { name: 'Kari Inspektør', phone: '+4790000101', email: 'kari@nordisktakst.example' },
          { name: 'Per Takstmann', phone: '+4790000102' },
        ],
      },
      {
        office: { name: 'Nordisk Takst Bergen', phone: '+4755000100' },
        persons: [{ name: 'Siri Vik', phone: '+4790000103' }],
      },
    ],
  },
  {
    name: 'Fjordbygg Entreprenør AS',
    orgNumber: '923456781',
    offices: [
      {
        office: { name: 'Fjordbygg Drammen', phone: '+4732000200' },
        persons: [
          { name: 'Ole Tømrer', phone: '+4790000201', email: 'ole@fjordbygg.example' },
          { name: 'Lise Prosjektleder', phone: '+4790000202' },
        ],
      },
    ],
  },
];

/** The demo company's customer page: every tab from a positive decision on, most news kinds, contacts. */
export const demoCustomerPageSettings: CustomerPageSettings = {
  ...defaultCustomerPageSettings,
  smsSecurityCode: false,
  showBudget: 'positive_decision',
  showNews: 'case_created',
  newsFilter: newsKinds.filter((kind) => kind !== 'call_history'),
  showPlanOnDashboard: true,
  showProjectPlan: 'case_created',
  showCommunication: 'case_created',
  showDocuments: 'case_created',
  showInspectionReport: 'main_inspection_assigned',
  showSettlementReport: 'positive_decision',
  showCaseHandler: true,
  showCaseHandlerPhone: true,
  showPartnerContact: true,
  contactForMoreInfo:
    'Demo Forsikring AS, kundeservice: 22 00 00 00 (hverdager 8–16) eller kundeservice@demo-forsikring.example.',
};

/** The demo case whose customer-page link `npm start` prints (accepted, with budget, tasks and documents). */
export const DEMO_CUSTOMER_CASE = 'SK-2026-1005';
