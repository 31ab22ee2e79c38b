import type { CustomerPageSettings } from '../../common/rules/customer-page-settings.ts';
import { customerVisibility, type CustomerVisibility } from '../../common/rules/visibility.ts';
import { findCase } from '../cases/queries.ts';
import { visibilityStateOf } from '../customer-access/access-rules.ts';
import type { CustomerSession } from '../customer-access/customer-sessions.ts';
import { loadCustomerPageSettings } from '../customer-page-config/settings.ts';
import type { Db } from '../db/database.ts';
import type { CasesTable } from '../db/schema.ts';
import { AppError, notFound } from '../errors.ts';

/**
 * Customer communication (spec §10, issue 7): one thread per case between the company and the people
 * with access to its customer page.
 *
 * - The communication method is enforced here, for both sides, from the same settings the customer
 *   page reads: `both_ways`; `to_customer` (customers read, cannot write); `from_customer` (customers
 *   write and see only their own messages; staff cannot write). With communication hidden
 *   (`showCommunication: never`) nobody writes.
 * - A message is text (≤ 5000 characters) and/or up to 10 files; the files follow the document
 *   library's rules (size per file and case, type sniffed from the bytes, generated names) and land in
 *   the case's document library too. A refused message leaves nothing: no row, no file.
 * - The message, its documents, its log events and every notification it causes are one command of
 *   the case (case-command.ts): the guards (the case's quota, the customer's right to write) read the
 *   locked case; notifications go through the outbox (one per person and channel, by idempotency
 *   key); after the commit the files are kept and a live signal tells open pages to fetch again.
 * - A customer's message is unread for staff until "Mark all messages as read": it counts on the
 *   dashboard, shows the banner, and notifies the case handler (notification list and e-mail).
 *
 * One job per file: communication.ts (the rules above), message-intake.ts (reading and writing a
 * message with its files), staff-messages.ts (staff services and presenter), customer-messages.ts and
 * customer-presenter.ts (the customer's side), send-notices.ts (the notices a message queues; their
 * texts in notices.ts), attachments.ts, notifications.ts, queries.ts.
 */

/** A message was refused because of the communication method (or hidden communication). */
export const notAllowed = (message: string) => new AppError('communication_not_allowed', message);

/** Whether staff may write to the customer under these settings. */
export const staffCanPost = (settings: CustomerPageSettings) =>
  settings.showCommunication !== 'never' && settings.communicationMethod !== 'from_customer';

/** The customer page's view of the communication rules for a session's case at `now`. */
export async function customerCommunication(
  db: Db,
  session: Pick<CustomerSession, 'company_id' | 'case_id'>,
  now = new Date(),
): Promise<{ row: CasesTable; settings: CustomerPageSettings; visibility: CustomerVisibility }> {
  const row = await findCase(db, session.case_id);
  if (!row || row.company_id !== session.company_id) throw notFound();
  const settings = await loadCustomerPageSettings(db, row.company_id);
  return { row, settings, visibility: customerVisibility(settings, visibilityStateOf(row), now) };
}

/** The refusal of a customer's message under these rules (none when the customer may write). */
export function customerRefusal(visibility: CustomerVisibility): AppError | null {
  if (visibility.communication.customerCanPost) return null;
  return notAllowed(
    visibility.tabs.communication
      ? 'Messages cannot be sent from the customer page of this case; you can read the messages here.'
      : 'Messages cannot be sent from the customer page of this case.',
  );
}
