import type { Language } from '../../common/rules/languages.ts';
import type {
  CustomerMessage,
  CustomerNewsItem,
  CustomerPageModel,
} from '../../common/rules/customer-page-model.ts';
import { escapeHtml } from '../outbox/outbox.ts';

/**
 * The two readable files of the case archive, as self-contained HTML: escaped text only, no script,
 * no remote resource (a CSP in the file forbids both), in the customer's language. Pure: the caller
 * passes what the customer page's presenter gave this person, and nothing else reaches the files.
 */

const words = {
  nb: {
    summaryTitle: 'Sammendrag av saken',
    threadTitle: 'Meldinger i saken',
    claimNumber: 'Saksnummer',
    address: 'Adresse',
    company: 'Selskap',
    milestones: 'Milepæler',
    created: 'Saken ble opprettet',
    closed: 'Saken ble avsluttet',
    pageCloses: 'Kundesiden er åpen til og med',
    handler: 'Saksbehandler',
    partners: 'Partnere i saken',
    news: 'Nyheter du ble vist',
    tasks: 'Prosjektplan',
    documents: 'Dokumenter du fikk',
    documentsNote: 'Filene ligger i mappen «dokumenter» i dette arkivet.',
    budget: 'Saksbudsjett',
    none: 'Ingen',
    noMessages: 'Ingen meldinger.',
    from: 'Fra',
    you: 'deg',
    attachments: 'Vedlegg',
    generated: 'Arkivet ble laget',
    taskStatus: { not_started: 'Ikke startet', started: 'Startet', finished: 'Ferdig' },
    phone: 'Telefon',
  },
  en: {
    summaryTitle: 'Summary of the case',
    threadTitle: 'Messages in the case',
    claimNumber: 'Claim number',
    address: 'Address',
    company: 'Company',
    milestones: 'Milestones',
    created: 'The case was created',
    closed: 'The case was closed',
    pageCloses: 'The customer page is open until and including',
    handler: 'Case handler',
    partners: 'Partners in the case',
    news: 'News you were shown',
    tasks: 'Project plan',
    documents: 'Documents you received',
    documentsNote: 'The files are in the folder “documents” of this archive.',
    budget: 'Case budget',
    none: 'None',
    noMessages: 'No messages.',
    from: 'From',
    you: 'you',
    attachments: 'Attachments',
    generated: 'Archive made',
    taskStatus: { not_started: 'Not started', started: 'Started', finished: 'Finished' },
    phone: 'Phone',
  },
} as const;

/** The archive's file and folder names per language. */
export const archiveNames = {
  nb: { summary: 'sammendrag.html', thread: 'meldinger.html', documents: 'dokumenter', zip: 'arkiv' },
  en: { summary: 'summary.html', thread: 'messages.html', documents: 'documents', zip: 'archive' },
} as const;

const locale = (language: Language) => (language === 'nb' ? 'nb-NO' : 'en-GB');

/** An instant in Europe/Oslo, e.g. "1. mars 2027 kl. 14:05". */
export const dateTime = (iso: string, language: Language) =>
  new Intl.DateTimeFormat(locale(language), {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Oslo',
  }).format(new Date(iso));

/** A calendar date 'YYYY-MM-DD' (or the date of an instant in Oslo). */
export const date = (value: string, language: Language) =>
  new Intl.DateTimeFormat(locale(language), {
    dateStyle: 'long',
    timeZone: value.length === 10 ? 'UTC' : 'Europe/Oslo',
  }).format(new Date(value.length === 10 ? `${value}T12:00:00Z` : value));

const amount = (ore: number, language: Language) =>
  new Intl.NumberFormat(locale(language), { style: 'currency', currency: 'NOK' }).format(ore / 100);

/** Text as HTML: escaped; line breaks kept by the style sheet. */
const text = (value: string) => escapeHtml(value);

/** A link to a file inside the archive (a relative path, each segment encoded). */
const fileHref = (path: string) => path.split('/').map(encodeURIComponent).join('/');

function page(language: Language, title: string, body: string): string {
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${text(title)}</title>
<style>
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff;max-width:48rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}
.meta{color:#444;font-size:.9rem}.msg{border:1px solid #ccc;border-radius:6px;padding:.75rem;margin:.75rem 0}
.own{background:#f1f5fb}.text{white-space:pre-wrap;overflow-wrap:anywhere}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}
table{border-collapse:collapse}td,th{padding:.25rem .5rem;border-bottom:1px solid #ddd;text-align:left}
</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/** What the summary shows beyond the page's model: the case's dates and when the archive was made. */
export interface SummaryFacts {
  createdAt: string;
  closedAt: string | null;
  lastDay: string | null;
  generatedAt: Date;
  /** Every news entry the customer was shown (all pages), newest first. */
  news: CustomerNewsItem[];
  /** The archive path of each document, by id (for links from the summary). */
  documentPaths: Map<string, string>;
}

/** The case's summary: number, address, milestones with dates, handler, what the customer was shown. */
export function summaryHtml(model: CustomerPageModel, facts: SummaryFacts, language: Language): string {
  const w = words[language];
  const { address, claimNumber, caseHandler, partnerContacts } = model.case;
  const parts: string[] = [];
  parts.push(`<h1>${text(w.summaryTitle)}</h1>`);
  parts.push(
    `<dl><dt>${w.claimNumber}</dt><dd>${text(claimNumber)}</dd>` +
      `<dt>${w.address}</dt><dd>${text(address.street)}, ${text(address.postalCode)} ${text(address.city)}</dd>` +
      `<dt>${w.company}</dt><dd>${text(model.company.name)}</dd>` +
      (caseHandler
        ? `<dt>${w.handler}</dt><dd>${text(caseHandler.name)}${caseHandler.phone ? `, ${w.phone} ${text(caseHandler.phone)}` : ''}</dd>`
        : '') +
      `</dl>`,
  );
  const milestones: Array<[string, string]> = [[w.created, date(facts.createdAt, language)]];
  if (facts.closedAt) milestones.push([w.closed, date(facts.closedAt, language)]);
  if (facts.lastDay) milestones.push([w.pageCloses, date(facts.lastDay, language)]);
  parts.push(
    `<h2>${w.milestones}</h2><ul>${milestones.map(([label, when]) => `<li>${text(when)}: ${text(label)}</li>`).join('')}</ul>`,
  );
  if (partnerContacts.length > 0) {
    parts.push(
      `<h2>${w.partners}</h2><ul>${partnerContacts
        .map(
          (p) =>
            `<li>${text(p.office)}${p.person ? `, ${text(p.person)}` : ''}${p.phone ? `, ${w.phone} ${text(p.phone)}` : ''}${p.taskName ? ` (${text(p.taskName)})` : ''}</li>`,
        )
        .join('')}</ul>`,
    );
  }
  if (facts.news.length > 0) {
    parts.push(
      `<h2>${w.news}</h2><ul>${facts.news
        .map(
          (item) =>
            `<li><span class="meta">${text(dateTime(item.occurredAt, language))}</span>: ${text(item.text)}</li>`,
        )
        .join('')}</ul>`,
    );
  }
  if (model.tasks.length > 0) {
    parts.push(
      `<h2>${w.tasks}</h2><table><tbody>${model.tasks
        .map(
          (task) =>
            `<tr><td>${text(task.name)}</td><td>${text(
              [task.startsOn, task.endsOn]
                .filter((d): d is string => d !== null)
                .map((d) => date(d, language))
                .join(' – '),
            )}</td><td>${text(w.taskStatus[task.status])}</td></tr>`,
        )
        .join('')}</tbody></table>`,
    );
  }
  const documents = [
    model.documents.inspectionReport,
    model.documents.settlementReport,
    ...model.documents.shared,
  ].filter((doc) => doc !== null);
  if (facts.documentPaths.size > 0) {
    parts.push(
      `<h2>${w.documents}</h2><p>${text(w.documentsNote)}</p><ul>${documents
        .map((doc) => {
          const path = facts.documentPaths.get(doc.id);
          const name = path ? `<a href="${fileHref(path)}">${text(doc.name)}</a>` : text(doc.name);
          return `<li>${name} <span class="meta">(${text(date(doc.sharedAt, language))})</span></li>`;
        })
        .join('')}</ul>`,
    );
  }
  if (model.budget.lines.length > 0) {
    parts.push(
      `<h2>${w.budget}</h2><table><tbody>${model.budget.lines
        .map(
          (line) =>
            `<tr><td>${text(line.description)}</td><td>${text(amount(line.amountOre, language))}</td></tr>`,
        )
        .join('')}</tbody></table>`,
    );
  }
  parts.push(
    `<p class="meta">${w.generated}: ${text(dateTime(facts.generatedAt.toISOString(), language))}</p>`,
  );
  return page(language, `${w.summaryTitle} ${claimNumber}`, parts.join('\n'));
}

/** The message thread as this person saw it, oldest first, with links to the attachments in the archive. */
export function threadHtml(
  model: CustomerPageModel,
  messages: CustomerMessage[],
  documentPaths: Map<string, string>,
  language: Language,
): string {
  const w = words[language];
  const oldestFirst = [...messages].sort(
    (a, b) => a.sentAt.localeCompare(b.sentAt) || a.id.localeCompare(b.id),
  );
  const items = oldestFirst.map((message) => {
    const attachments = message.attachments.map((file) => {
      const path = documentPaths.get(file.id);
      return `<li>${path ? `<a href="${fileHref(path)}">${text(file.name)}</a>` : text(file.name)}</li>`;
    });
    return (
      `<article class="${message.own ? 'msg own' : 'msg'}">` +
      `<p class="meta"><time datetime="${text(message.sentAt)}">${text(dateTime(message.sentAt, language))}</time> · ` +
      `${w.from}: ${text(message.senderEmail)}${message.own ? ` (${w.you})` : ''}</p>` +
      `<p class="text">${text(message.text)}</p>` +
      (attachments.length ? `<p>${w.attachments}:</p><ul>${attachments.join('')}</ul>` : '') +
      `</article>`
    );
  });
  const { claimNumber, address } = model.case;
  return page(
    language,
    `${w.threadTitle} ${claimNumber}`,
    `<h1>${text(w.threadTitle)}</h1>\n<p class="meta">${text(claimNumber)} · ${text(address.street)}, ${text(address.postalCode)} ${text(address.city)}</p>\n` +
      (items.length ? items.join('\n') : `<p>${w.noMessages}</p>`),
  );
}
