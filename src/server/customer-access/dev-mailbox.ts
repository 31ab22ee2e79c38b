import { devMailboxQuery, type DevMailboxView } from '../../common/contracts/customer-access-api.ts';
import type { PageRequest } from '../../common/contracts/paging.ts';
import { authorize, isCompanyAdmin, type Actor } from '../security/actor.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { PersonMessage } from '../db/schema.ts';
import { fetchPage } from '../db/paging.ts';
import { notFound } from '../errors.ts';
import { outboxOf, renderMessage } from '../outbox/outbox.ts';

/**
 * The development mailbox: without SMTP_URL / SMS_PROVIDER messages are "delivered" into their outbox
 * rows instead of being sent, and level-6 staff of the company read them here, links and codes
 * included, so the whole customer journey can be tried without a mail server or an SMS provider.
 * Never in production (404; config.ts also refuses to start there without real delivery).
 */
export async function readDevMailbox(
  db: Db,
  config: Pick<Config, 'devMailbox' | 'publicBaseUrl' | 'mailFrom' | 'smsFrom'>,
  actor: Actor,
  paging: PageRequest = devMailboxQuery.parse({}),
): Promise<DevMailboxView> {
  if (!config.devMailbox) throw notFound();
  authorize(actor, isCompanyAdmin);
  const messages = db
    .selectFrom('outbox')
    .selectAll()
    .where('company_id', '=', actor.companyId)
    .where('delivered_via', '=', 'dev-mailbox')
    .$narrowType<PersonMessage>()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc');
  const { unseal } = outboxOf(db);
  return fetchPage(messages, paging, (row) => {
    const rendered = renderMessage(row, { unseal, publicBaseUrl: config.publicBaseUrl });
    return {
      id: row.id,
      caseId: row.case_id,
      kind: row.kind,
      channel: row.channel,
      to: row.recipient,
      from: row.channel === 'email' ? `${row.sender_name ?? ''} <${config.mailFrom}>`.trim() : config.smsFrom,
      subject: rendered?.subject ?? row.subject,
      text: rendered?.text ?? row.body_text,
      html: rendered?.html ?? row.body_html,
      idempotencyKey: row.idempotency_key,
      state: row.state,
      createdAt: row.created_at,
      sentAt: row.sent_at,
    };
  });
}
