import { appendCaseEvent, type EventActor } from '../case-events/case-events.ts';
import type { Db } from '../db/database.ts';
import type { OutboxTable, PersonMessage } from '../db/schema.ts';
import type { DeliveryListener } from '../outbox/outbox.ts';

const SYSTEM: EventActor = { kind: 'system', id: null, name: null };

/**
 * The delivery listener of customer access (registered in app.ts): a customer link delivered or
 * given up on is an event in its case's log (`customer_link_sent`, `customer_link_failed`), written
 * in the transaction that records the outcome, so it is logged exactly once.
 */
export const logLinkDelivery: DeliveryListener = async (trx, row, outcome, now) => {
  if (row.kind !== 'customer_link' || row.channel === 'webhook' || !row.case_id) return;
  const target = { companyId: row.company_id, caseId: row.case_id };
  const facts = await linkMessageFacts(trx, { ...row, channel: row.channel });
  if (outcome.state === 'sent') {
    await appendCaseEvent(
      trx,
      target,
      SYSTEM,
      'customer_link_sent',
      { ...facts, attempts: row.attempts },
      now,
    );
  } else {
    await appendCaseEvent(
      trx,
      target,
      SYSTEM,
      'customer_link_failed',
      { ...facts, reason: outcome.reason },
      now,
    );
  }
};

/** The facts of a link message the case log shows (to whom, by which channel). */
async function linkMessageFacts(db: Db, row: OutboxTable & Pick<PersonMessage, 'channel'>) {
  const contact = row.access_id
    ? await db
        .selectFrom('customer_access as a')
        .innerJoin('case_contacts as c', 'c.id', 'a.contact_id')
        .select('c.name')
        .where('a.id', '=', row.access_id)
        .executeTakeFirst()
    : undefined;
  return {
    messageId: row.id,
    accessId: row.access_id ?? '',
    name: contact?.name ?? '',
    channel: row.channel,
    recipient: row.recipient,
  };
}
