import { reissueCustomerLinkToken } from '../customer-access/reissue-link.ts';
import type { Db } from '../db/database.ts';
import { DEMO_CUSTOMER_CASE, DEMO_ORG_NUMBER } from './seed-demo.ts';

/**
 * A working customer-page link of the demo case (development only: `npm start` prints it): the
 * customer's grant gets a fresh token through the access module, so only its hash is stored. Null
 * when the demo company or case is not there (demo data off, or removed).
 */
export async function demoCustomerLink(db: Db, publicBaseUrl: string): Promise<string | null> {
  const found = await db
    .selectFrom('cases')
    .innerJoin('companies', 'companies.id', 'cases.company_id')
    .select(['cases.id as caseId', 'cases.company_id as companyId'])
    .where('companies.org_number', '=', DEMO_ORG_NUMBER)
    .where('cases.claim_number', '=', DEMO_CUSTOMER_CASE)
    .executeTakeFirst();
  if (!found) return null;
  const token = await reissueCustomerLinkToken(db, found.companyId, found.caseId);
  return token ? `${publicBaseUrl}/k/${token}` : null;
}
