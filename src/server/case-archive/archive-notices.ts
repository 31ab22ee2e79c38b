import type { CustomerPageSettings } from '../../common/rules/customer-page-settings.ts';
import { addDays, osloDate } from '../../common/rules/oslo-date.ts';
import { lastVisibleDay, reachability } from '../../common/rules/visibility.ts';
import { findCompany } from '../companies/queries.ts';
import { visibilityStateOf } from '../customer-access/access-rules.ts';
import { mintNoticeLinkToken } from '../customer-access/link-tokens.ts';
import { firstFittingSms, linkLength } from '../customer-access/messages.ts';
import { loadCustomerPageSettings } from '../customer-page-config/settings.ts';
import { inTransaction, nowIso, type Db } from '../db/database.ts';
import { listActiveAccessWithContacts } from '../messages/queries.ts';
import { renderEmail, type RenderedEmail } from '../outbox/email-layout.ts';
import { enqueueMessage, fillTemplate, LINK_PLACEHOLDER, outboxOf } from '../outbox/outbox.ts';
import { claimNotice, closedCasesWithoutNotice, findCaseState, setNoticeRecipients } from './queries.ts';

/**
 * The archive notice (issue 19, item 3): before the customer page of a closed case closes, every
 * person with access is told once — "Siden om saken din stenges <dato>. Last ned arkivet ditt før
 * det." with their own link — by e-mail, else SMS, through the outbox like the other customer notices.
 *
 * When (Decision): {@link ARCHIVE_NOTICE_DAYS} days before the page's last day; when the window after
 * closing is shorter than that, at the first run after the case is closed. With 0 days visible the page
 * closes with the case and there is nothing to download: no notice.
 *
 * Once: the notice of a closing is claimed by inserting its (case, closing time) row in the
 * transaction that queues the messages; a second worker's insert finds the row (PostgreSQL waits for
 * the first transaction, SQLite's write lock orders them) and sends nothing.
 */

/** Our number: the notice goes out this many days before the page's last day. */
export const ARCHIVE_NOTICE_DAYS = 14;

/** Cases looked at per batch (a run goes on while batches come back full). */
const BATCH = 200;

/** The longest window the settings allow (customer-page-settings: 0–3650 days) and a day more. */
const MAX_WINDOW_MS = 3651 * 86_400_000;

/** What a run did: notices sent (cases) and closings marked as needing none. */
export interface ArchiveNoticeRun {
  noticed: number;
  skipped: number;
}

/**
 * Queues the archive notices that are due at `now` (run periodically by main.ts, with its own
 * `now` in tests). Safe to run in several processes at once.
 */
export async function sendArchiveNoticesWhenDue(db: Db, now = new Date()): Promise<ArchiveNoticeRun> {
  const today = osloDate(now);
  const settingsOf = new Map<string, Promise<CustomerPageSettings>>();
  const run: ArchiveNoticeRun = { noticed: 0, skipped: 0 };
  const closedAfter = nowIso(new Date(now.getTime() - MAX_WINDOW_MS));
  let after: { closedAt: string; id: string } | null = null;
  for (;;) {
    const candidates = await closedCasesWithoutNotice(db, closedAfter, after, BATCH);
    for (const row of candidates) {
      const closedAt = row.closed_at ?? '';
      after = { closedAt, id: row.id };
      let settings = settingsOf.get(row.company_id);
      if (!settings) {
        settings = loadCustomerPageSettings(db, row.company_id);
        settingsOf.set(row.company_id, settings);
      }
      const lastDay = lastVisibleDay(closedAt, (await settings).visibleDaysAfterClose);
      if (lastDay === null || today > lastDay) {
        // Nothing to download any more (or ever): marked, so later runs do not look at it again.
        if (await claimNotice(db, noticeRow(row, null, 0, now))) run.skipped += 1;
        continue;
      }
      // Not due yet: left for a later run.
      if (today < addDays(lastDay, -ARCHIVE_NOTICE_DAYS)) continue;
      if (await sendNotice(db, row, lastDay, now)) run.noticed += 1;
    }
    if (candidates.length < BATCH) return run;
  }
}

const noticeRow = (
  row: { id: string; company_id: string; closed_at: string | null },
  lastDay: string | null,
  recipients: number,
  now: Date,
) => ({
  case_id: row.id,
  closed_at: row.closed_at ?? '',
  company_id: row.company_id,
  last_day: lastDay,
  recipients,
  noticed_at: nowIso(now),
});

/** Claims and queues the notice of one closing in one transaction; false when already claimed. */
async function sendNotice(
  db: Db,
  row: { id: string; company_id: string; closed_at: string | null },
  lastDay: string,
  now: Date,
): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    if (!(await claimNotice(trx, noticeRow(row, lastDay, 0, now)))) return false;
    // The case as it is now: reopened (or closed again) since the candidate was read → that closing
    // is over; its claim stays, and the current closing gets its own row on a later run.
    const current = await findCaseState(trx, row.id);
    if (!current || current.status !== 'closed' || current.closed_at !== row.closed_at) return true;
    const settings = await loadCustomerPageSettings(trx, row.company_id);
    if (!reachability(settings, visibilityStateOf(current), now).reachable) return true;
    const [people, company] = await Promise.all([
      listActiveAccessWithContacts(trx, row.id),
      findCompany(trx, row.company_id),
    ]);
    const companyName = company?.name ?? '';
    const base = outboxOf(trx).publicBaseUrl;
    const date = longDate(lastDay);
    let recipients = 0;
    for (const person of people) {
      const channel = person.email ? 'email' : person.phone ? 'sms' : null;
      if (!channel) continue;
      const token = await mintNoticeLinkToken(trx, { id: person.id, linkVersion: person.link_version }, now);
      const email =
        channel === 'email' ? archiveNoticeEmail(companyName, person.name, date, settings.colors) : null;
      await enqueueMessage(
        trx,
        {
          companyId: row.company_id,
          caseId: row.id,
          accessId: person.id,
          kind: 'archive_notice',
          channel,
          recipient: channel === 'email' ? (person.email ?? '') : (person.phone ?? ''),
          senderName: companyName,
          subject: email?.subject ?? null,
          bodyText: email?.text ?? archiveNoticeSms(companyName, date, base ? linkLength(base) : 70),
          bodyHtml: email?.html ?? null,
          secret: token,
          idempotencyKey: `archive-notice:${row.id}:${row.closed_at ?? ''}:${person.id}:${channel}`,
        },
        now,
      );
      recipients += 1;
    }
    await setNoticeRecipients(trx, row.id, row.closed_at ?? '', recipients);
    return true;
  });
}

/** A calendar date as the notice writes it: "31. mars 2027". */
export function longDate(date: string): string {
  return new Intl.DateTimeFormat('nb-NO', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${date}T12:00:00Z`));
}

/** E-mail to a person with access: the page closes on `date`; download the archive before. */
export function archiveNoticeEmail(
  companyName: string,
  recipientName: string,
  date: string,
  colors?: CustomerPageSettings['colors'],
): RenderedEmail {
  const values = { company: companyName, date };
  return renderEmail({
    language: 'nb',
    sender: { name: companyName, colors },
    subject: fillTemplate('Siden om saken din stenges {{date}}', values),
    greeting: recipientName,
    paragraphs: [
      fillTemplate('Siden om saken din stenges {{date}}. Last ned arkivet ditt før det.', values),
      'Arkivet er en zip-fil med dokumentene du har fått, meldingene og et sammendrag av saken.',
    ],
    action: { label: 'Last ned arkivet', url: LINK_PLACEHOLDER },
    after: ['Lenken er personlig. Ikke del den med andre.'],
  });
}

/** SMS to a person with access (only without an e-mail address): the date and the link. */
export function archiveNoticeSms(companyName: string, date: string, linkChars: number): string {
  const variants = [
    `{{company}}: Siden om saken din stenges {{date}}. Last ned arkivet ditt før det: ${LINK_PLACEHOLDER}`,
    `Siden om saken din stenges {{date}}. Last ned arkivet ditt før det: ${LINK_PLACEHOLDER}`,
  ].map((variant) => fillTemplate(variant, { company: companyName, date }));
  return firstFittingSms(variants, linkChars) ?? `Last ned arkivet ditt: ${LINK_PLACEHOLDER}`;
}
