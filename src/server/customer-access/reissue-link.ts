import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { hashToken, randomToken } from '../security/tokens.ts';

/**
 * Gives the customer's active grant on a case a new link token and returns the token (only its hash
 * is stored; links sent before stop working, sessions opened with them keep working until they end).
 * For the demo link `npm start` prints in development; null when the customer has no active grant.
 */
export async function reissueCustomerLinkToken(
  db: Db,
  companyId: string,
  caseId: string,
): Promise<string | null> {
  const access = await db
    .selectFrom('customer_access')
    .innerJoin('case_contacts', 'case_contacts.id', 'customer_access.contact_id')
    .select('customer_access.id')
    .where('customer_access.company_id', '=', companyId)
    .where('customer_access.case_id', '=', caseId)
    .where('customer_access.state', '=', 'active')
    .where('case_contacts.role', '=', 'customer')
    .executeTakeFirst();
  if (!access) return null;
  const token = randomToken();
  await db
    .updateTable('customer_access')
    .set({ token_hash: hashToken(token), link_version: sql<number>`link_version + 1` })
    .where('id', '=', access.id)
    .execute();
  return token;
}
