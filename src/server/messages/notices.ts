import { sql } from 'kysely';
import { escapeHtml, fillTemplate, LINK_PLACEHOLDER } from '../outbox/outbox.ts';
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
export function customerNoticeEmail(companyName: string, recipientName: string) {
  const values = { company: companyName, name: recipientName };
  const subject = fillTemplate('Ny melding fra {{company}}', values);
  const text = fillTemplate(
    [
      'Hei {{name}},',
      '',
      '{{company}} har sendt deg en ny melding om skadesaken din. Du leser den på kundesiden:',
      LINK_PLACEHOLDER,
      '',
      'Lenken er personlig. Ikke del den med andre.',
      '',
      'Vennlig hilsen',
      '{{company}}',
    ].join('\n'),
    values,
  );
  const html = fillTemplate(
    `<!doctype html>
<html lang="nb">
<head><meta charset="utf-8"><title>Ny melding fra {{company}}</title></head>
<body style="font-family: Arial, sans-serif; color: #1a1a1a; line-height: 1.5">
<p>Hei {{name}},</p>
<p>{{company}} har sendt deg en ny melding om skadesaken din. Du leser den på kundesiden.</p>
<p><a href="${LINK_PLACEHOLDER}" style="display: inline-block; padding: 10px 16px; background: #1f3a5f; color: #ffffff; text-decoration: none; border-radius: 4px">Les meldingen</a></p>
<p>Virker ikke knappen? Kopier denne adressen inn i nettleseren:<br>${LINK_PLACEHOLDER}</p>
<p>Lenken er personlig. Ikke del den med andre.</p>
<p>Vennlig hilsen<br>{{company}}</p>
</body>
</html>`,
    { company: escapeHtml(companyName), name: escapeHtml(recipientName) },
  );
  return { subject, text, html };
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
}) {
  const { companyName, recipientName, senderName, claimNumber, caseUrl, withFiles } = options;
  const values = {
    company: companyName,
    name: recipientName,
    sender: senderName,
    claim: claimNumber,
    url: caseUrl,
    what: withFiles ? 'en melding med vedlegg' : 'en melding',
  };
  const subject = fillTemplate('Ny melding fra kunden i sak {{claim}}', values);
  const text = fillTemplate(
    [
      'Hei {{name}},',
      '',
      '{{sender}} har sendt {{what}} på kundesiden i sak {{claim}}.',
      '',
      'Åpne saken:',
      '{{url}}',
      '',
      '{{company}}',
    ].join('\n'),
    values,
  );
  const html = fillTemplate(
    `<!doctype html>
<html lang="nb">
<head><meta charset="utf-8"><title>Ny melding fra kunden i sak {{claim}}</title></head>
<body style="font-family: Arial, sans-serif; color: #1a1a1a; line-height: 1.5">
<p>Hei {{name}},</p>
<p>{{sender}} har sendt {{what}} på kundesiden i sak {{claim}}.</p>
<p><a href="{{url}}">Åpne saken</a></p>
<p>{{company}}</p>
</body>
</html>`,
    Object.fromEntries(Object.entries(values).map(([name, value]) => [name, escapeHtml(value)])),
  );
  return { subject, text, html };
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
