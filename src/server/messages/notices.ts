import { sql } from 'kysely';
import { renderEmail, type EmailSender, type RenderedEmail } from '../outbox/email-layout.ts';
import { fillTemplate, LINK_PLACEHOLDER } from '../outbox/outbox.ts';
import { firstFittingSms } from '../customer-access/messages.ts';
import type { Db } from '../db/database.ts';
import { nowIso } from '../db/database.ts';

/**
 * The notices a new message causes, in Norwegian bokmål. None carries the message text (an SMS or
 * e-mail may be read by someone else, and the thread is behind the customer's link and code); the
 * customer's notices carry their link (`{{link}}`, filled in when sent), the staff notice the case's
 * address in the staff app. Names and numbers go in through fillTemplate's placeholders only, so
 * nothing a person typed is ever read as a placeholder.
 */

/** E-mail to a person with access: there is a new message on the customer page. */
export function customerNoticeEmail(
  companyName: string,
  recipientName: string,
  colors?: EmailSender['colors'],
): RenderedEmail {
  const values = { company: companyName };
  return renderEmail({
    language: 'nb',
    sender: { name: companyName, colors },
    subject: fillTemplate('Ny melding fra {{company}}', values),
    greeting: recipientName,
    paragraphs: [
      fillTemplate(
        '{{company}} har sendt deg en ny melding om skadesaken din. Du leser den på kundesiden.',
        values,
      ),
    ],
    action: { label: 'Les meldingen', url: LINK_PLACEHOLDER },
    after: ['Lenken er personlig. Ikke del den med andre.'],
  });
}

/** SMS to a person with access (only when they have no e-mail address): the link, never the text. */
export function customerNoticeSms(companyName: string, linkChars: number): string {
  const variants = [
    `{{company}}: Du har fått en ny melding om skadesaken din. Les den her: ${LINK_PLACEHOLDER}`,
    `{{company}}: Ny melding på kundesiden: ${LINK_PLACEHOLDER}`,
  ].map((variant) => fillTemplate(variant, { company: companyName }));
  return firstFittingSms(variants, linkChars) ?? `Ny melding: ${LINK_PLACEHOLDER}`;
}

/** E-mail to the case handler: a customer wrote; open the case (no message text). */
export function staffNoticeEmail(options: {
  companyName: string;
  recipientName: string;
  senderName: string;
  claimNumber: string;
  caseUrl: string;
  withFiles: boolean;
  colors?: EmailSender['colors'];
}): RenderedEmail {
  const { companyName, recipientName, senderName, claimNumber, caseUrl, withFiles, colors } = options;
  const values = {
    sender: senderName,
    claim: claimNumber,
    url: caseUrl,
    what: withFiles ? 'en melding med vedlegg' : 'en melding',
  };
  return renderEmail({
    language: 'nb',
    sender: { name: companyName, colors },
    subject: fillTemplate('Ny melding fra kunden i sak {{claim}}', values),
    greeting: recipientName,
    paragraphs: [fillTemplate('{{sender}} har sendt {{what}} på kundesiden i sak {{claim}}.', values)],
    action: { label: 'Åpne saken', url: fillTemplate('{{url}}', values) },
    closing: 'name',
  });
}

/**
 * Our number (issue 15 item 4): the case handler gets at most one e-mail per case in this time while
 * the earlier ones are unread; every message still lands in the list and the thread.
 */
export const HANDLER_NOTICE_QUIET_MS = 15 * 60_000;

/**
 * Whether the handler was e-mailed about a customer message on the case within the quiet time and
 * has not read that notification yet (then a new message adds to the list, but sends no e-mail).
 * Reading (mark all as read, or the notification itself) ends the quiet at once. Call it inside the
 * message's command (under the case lock) before its own notification is inserted.
 */
export async function handlerWasNoticedLately(
  trx: Db,
  userId: string,
  caseId: string,
  now: Date,
): Promise<boolean> {
  const row = await trx
    .selectFrom('staff_notifications as n')
    // The e-mail of a notification is the outbox row with its idempotency key (queueStaffNotice).
    .innerJoin('outbox as o', (join) =>
      join.on(sql<boolean>`o.idempotency_key = 'staff-notice:' || n.message_id || ':' || n.user_id`),
    )
    .select('n.id')
    .where('n.user_id', '=', userId)
    .where('n.created_at', '>', nowIso(new Date(now.getTime() - HANDLER_NOTICE_QUIET_MS)))
    .where('n.case_id', '=', caseId)
    .where('n.kind', '=', 'customer_message')
    .where('n.read_at', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
