import type { MessageDeliveryView } from '../../common/contracts/message-api.ts';
import type { CustomerPageSettings } from '../../common/rules/customer-page-settings.ts';
import { customerVisibility } from '../../common/rules/visibility.ts';
import { findCompany } from '../companies/queries.ts';
import { visibilityStateOf } from '../customer-access/access-rules.ts';
import { mintNoticeLinkToken } from '../customer-access/link-tokens.ts';
import { linkLength } from '../customer-access/messages.ts';
import type { Db } from '../db/database.ts';
import { nowIso } from '../db/database.ts';
import type { CaseMessagesTable, CasesTable } from '../db/schema.ts';
import { signalAfterCommit } from '../live/live.ts';
import { enqueueMessage, outboxOf } from '../outbox/outbox.ts';
import { newId } from '../security/tokens.ts';
import {
  customerNoticeEmail,
  customerNoticeSms,
  handlerWasNoticedLately,
  staffNoticeEmail,
} from './notices.ts';
import { findActiveUser, insertNotification, listActiveAccessWithContacts } from './queries.ts';

/**
 * The notices a new message queues, in the message's transaction (texts in notices.ts): to the
 * people with access for a staff message, to the case handler for a customer's.
 */

/**
 * Queues "you have a new message" to every person with access who can read it now: by e-mail, or by
 * SMS when the person has no e-mail address; each with a link of its own (a new token, only its hash
 * stored, valid while the grant is). One per message, person and channel (idempotency key). Returns
 * who has access and who was told, for the staff confirmation.
 */
export async function queueCustomerNotices(
  trx: Db,
  row: CasesTable,
  settings: CustomerPageSettings,
  message: CaseMessagesTable,
  now: Date,
): Promise<MessageDeliveryView> {
  const visibility = customerVisibility(settings, visibilityStateOf(row), now);
  const [people, company] = await Promise.all([
    listActiveAccessWithContacts(trx, row.id),
    findCompany(trx, row.company_id),
  ]);
  const customerCanRead = visibility.communication.customerCanRead;
  const delivery: MessageDeliveryView = { peopleWithAccess: people.length, customerCanRead, notified: [] };
  if (!customerCanRead) return delivery;
  const companyName = company?.name ?? '';
  const base = outboxOf(trx).publicBaseUrl;
  for (const person of people) {
    const channel = person.email ? 'email' : person.phone ? 'sms' : null;
    if (!channel) continue;
    const token = await mintNoticeLinkToken(trx, { id: person.id, linkVersion: person.link_version }, now);
    const email = channel === 'email' ? customerNoticeEmail(companyName, person.name, settings.colors) : null;
    await enqueueMessage(
      trx,
      {
        companyId: row.company_id,
        caseId: row.id,
        accessId: person.id,
        kind: 'message_notice',
        channel,
        recipient: channel === 'email' ? (person.email ?? '') : (person.phone ?? ''),
        senderName: companyName,
        subject: email?.subject ?? null,
        bodyText: email?.text ?? customerNoticeSms(companyName, base ? linkLength(base) : 70),
        bodyHtml: email?.html ?? null,
        secret: token,
        idempotencyKey: `message:${message.id}:${person.id}:${channel}`,
      },
      now,
    );
    delivery.notified.push({ name: person.name, channel });
  }
  return delivery;
}

/** The case handler's notification (list and e-mail) of a customer's message; none without a handler. */
export async function queueStaffNotice(
  trx: Db,
  row: CasesTable,
  message: CaseMessagesTable,
  withFiles: boolean,
  now: Date,
  colors: CustomerPageSettings['colors'],
): Promise<void> {
  if (!row.case_handler_id) return;
  const handler = await findActiveUser(trx, row.company_id, row.case_handler_id);
  if (!handler) return;
  // Always in the handler's list; the e-mail only when the last one was read or is 15 minutes old.
  const quiet = await handlerWasNoticedLately(trx, handler.id, row.id, now);
  await insertNotification(trx, {
    id: newId(),
    company_id: row.company_id,
    user_id: handler.id,
    case_id: row.id,
    message_id: message.id,
    kind: 'customer_message',
    created_at: nowIso(now),
    read_at: null,
  });
  // The handler's open staff app shows the new count (after the commit).
  await signalAfterCommit(trx, { scope: 'user', id: handler.id, topic: 'notifications' });
  if (quiet) return;
  const company = await findCompany(trx, row.company_id);
  const email = staffNoticeEmail({
    companyName: company?.name ?? '',
    recipientName: handler.name,
    senderName: message.sender_name,
    claimNumber: row.claim_number,
    caseUrl: `${outboxOf(trx).publicBaseUrl}/cases/${row.id}`,
    withFiles,
    colors,
  });
  await enqueueMessage(
    trx,
    {
      companyId: row.company_id,
      caseId: row.id,
      kind: 'staff_notice',
      channel: 'email',
      recipient: handler.email,
      senderName: company?.name ?? null,
      subject: email.subject,
      bodyText: email.text,
      bodyHtml: email.html,
      idempotencyKey: `staff-notice:${message.id}:${handler.id}`,
    },
    now,
  );
}
