import type { Db } from '../db/database.ts';
import { inTransaction } from '../db/database.ts';
import { mintLinkToken } from './link-tokens.ts';
import { deleteCodesOfAccess, deleteUnverifiedSessionsOfAccess, reissueAccessToken } from './queries.ts';

/**
 * Gives an active grant a new link token, in the caller's transaction: links sent before stop
 * working; the SMS-code lock and its count are cleared and the grant's codes forgotten (the code
 * limits start afresh); sessions that have not passed the code end (they must open the new link),
 * sessions that have keep working until they end. Returns the token and the new link version, or
 * null when the grant is not active.
 */
export async function reissueAccessLink(
  trx: Db,
  accessId: string,
): Promise<{ token: string; linkVersion: number } | null> {
  const { token, tokenHash } = mintLinkToken();
  const updated = await reissueAccessToken(trx, accessId, tokenHash);
  if (!updated) return null;
  await deleteCodesOfAccess(trx, accessId);
  await deleteUnverifiedSessionsOfAccess(trx, accessId);
  return { token, linkVersion: updated.link_version };
}

/**
 * Gives the customer's active grant on a case a new link token and returns the token (only its hash
 * is stored), as {@link reissueAccessLink} does, without sending it: for the demo link `npm start`
 * prints in development and for tests; null when the customer has no active grant.
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
  const issued = await inTransaction(db, (trx) => reissueAccessLink(trx, access.id));
  return issued?.token ?? null;
}
