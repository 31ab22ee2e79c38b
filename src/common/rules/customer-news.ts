import type { CaseEventData, CaseEventKind, NewsKind } from './case-events.ts';
import { newsKindOfEvent } from './case-events.ts';
import { callFacts, formatCallDuration } from './calls.ts';
import { formatPhoneNumber } from './phone-format.ts';
import type { Language } from './languages.ts';

/**
 * The customer's news feed text of a case event (spec §7), redacted: it reads only the public facts
 * of an event (names of offices, persons and tasks, times) and never a decision outcome, a closing
 * comment, a reopening reason or any other `internal*` field. Pure and zod-free: the server's
 * customer presenter and the admin preview both use it.
 */
export type NewsLanguage = Language;

/** A text per event kind; null: this event is no news for the customer (e.g. a file they never saw). */
type Texts = { [K in CaseEventKind]?: (data: CaseEventData[K], f: Formatters) => string | null };

interface Formatters {
  dateTime: (iso: string) => string;
  date: (day: string) => string;
  duration: (seconds: number) => string;
}

/**
 * The other party of a call as "Nora Lie (967 89 012)", or the number alone when no name was
 * given. The staff log says the same (web/staff/cases/describe-event.ts, `events.call_*`).
 */
const otherParty = (call: { partyName: string | null; number: string }) =>
  call.partyName ? `${call.partyName} (${formatPhoneNumber(call.number)})` : formatPhoneNumber(call.number);

const nb: Texts = {
  call_recorded: (d, f) => {
    const call = callFacts(d);
    const other = otherParty(call);
    const lasted = `samtalen varte ${f.duration(call.durationSeconds)}`;
    if (call.direction === 'incoming') {
      return call.reached ? `${other} ringte oss, ${lasted}` : `${other} ringte oss uten å få svar`;
    }
    return call.reached
      ? `${call.callerName} ringte ${other}, ${lasted}`
      : `${call.callerName} ringte ${other} uten å få svar`;
  },
  inspector_assigned: (d) => `Saken er tildelt inspektør ${d.inspector.name}`,
  main_inspection_started: () => 'Hovedbesiktigelsen er påbegynt',
  main_inspection_finished: () => 'Hovedbesiktigelsen er fullført',
  claim_decision: () => 'Det er tatt en beslutning i saken',
  task_started: (d) => `Oppgave påbegynt: ${d.name}`,
  task_finished: (d) => `Oppgave avsluttet: ${d.name}`,
  case_closed: () => 'Saken er avsluttet',
  main_inspection_assigned: (d) => `Hovedbesiktigelsen er tildelt ${d.office.name}`,
  task_added: (d) => `Ny oppgave i saken: ${d.name}`,
  repair_responsible_chosen: (d) =>
    d.person ? `Ansvarlig for ${d.name}: ${d.person.name}` : `Ansvarlig for ${d.name} er endret`,
  task_office_assigned: (d) =>
    d.office ? `${d.name} er tildelt ${d.office.name}` : `Kontor for ${d.name} er endret`,
  case_reopened: (d) => `${d.companyName}: Gjenåpnet saken`,
  project_manager_assigned: (d) =>
    d.person ? `Prosjektleder tildelt: ${d.person.name}` : 'Prosjektleder er endret',
  project_management_assigned: (d) =>
    d.office ? `Prosjektledelse er tildelt ${d.office.name}` : 'Prosjektledelse er endret',
  meeting_time_changed: (d, f) =>
    d.meetingAt
      ? `Møtetidspunkt for ${d.name}: ${f.dateTime(d.meetingAt)}`
      : `Møtetidspunkt for ${d.name} er fjernet`,
  repair_schedule_changed: (d, f) =>
    `Tidsplan for ${d.name}: ${d.startsOn ? f.date(d.startsOn) : '–'} til ${d.endsOn ? f.date(d.endsOn) : '–'}`,
  message_to_customer: () => 'Du har fått en ny melding',
  document_shared: (d) => `Dokument delt med deg: ${d.fileName}`,
  // A report withheld before the customer was shown it is no news (issue 16).
  document_unshared: (d) => (d.wasShared === false ? null : `Dokumentdeling opphevet: ${d.fileName}`),
  // Only a document shared with the customer is named: they saw it; any other deletion is no news.
  document_deleted: (d) => (d.wasShared === true ? `Dokument fjernet: ${d.fileName}` : null),
};

const en: Texts = {
  call_recorded: (d, f) => {
    const call = callFacts(d);
    const other = otherParty(call);
    const lasted = `the call lasted ${f.duration(call.durationSeconds)}`;
    if (call.direction === 'incoming') {
      return call.reached ? `${other} called us; ${lasted}` : `${other} called us without getting an answer`;
    }
    return call.reached
      ? `${call.callerName} called ${other}; ${lasted}`
      : `${call.callerName} called ${other} without getting an answer`;
  },
  inspector_assigned: (d) => `The case was assigned to inspector ${d.inspector.name}`,
  main_inspection_started: () => 'The main inspection has started',
  main_inspection_finished: () => 'The main inspection is finished',
  claim_decision: () => 'A decision has been made in the case',
  task_started: (d) => `Task started: ${d.name}`,
  task_finished: (d) => `Task finished: ${d.name}`,
  case_closed: () => 'The case was closed',
  main_inspection_assigned: (d) => `The main inspection was assigned to ${d.office.name}`,
  task_added: (d) => `New task in the case: ${d.name}`,
  repair_responsible_chosen: (d) =>
    d.person ? `Responsible for ${d.name}: ${d.person.name}` : `The responsible person for ${d.name} changed`,
  task_office_assigned: (d) =>
    d.office ? `${d.name} was assigned to ${d.office.name}` : `The office for ${d.name} changed`,
  case_reopened: (d) => `${d.companyName}: Reopened the case`,
  project_manager_assigned: (d) =>
    d.person ? `Project manager assigned: ${d.person.name}` : 'The project manager changed',
  project_management_assigned: (d) =>
    d.office ? `Project management assigned to ${d.office.name}` : 'The project management changed',
  meeting_time_changed: (d, f) =>
    d.meetingAt
      ? `Meeting time for ${d.name}: ${f.dateTime(d.meetingAt)}`
      : `The meeting for ${d.name} was removed`,
  repair_schedule_changed: (d, f) =>
    `Schedule for ${d.name}: ${d.startsOn ? f.date(d.startsOn) : '–'} to ${d.endsOn ? f.date(d.endsOn) : '–'}`,
  message_to_customer: () => 'You have a new message',
  document_shared: (d) => `Document shared with you: ${d.fileName}`,
  document_unshared: (d) => (d.wasShared === false ? null : `Document sharing withdrawn: ${d.fileName}`),
  document_deleted: (d) => (d.wasShared === true ? `Document removed: ${d.fileName}` : null),
};

/** One set of formatters per language: building Intl formatters costs far more than using them. */
const formattersByLanguage = new Map<NewsLanguage, Formatters>();

function formatters(language: NewsLanguage): Formatters {
  let cached = formattersByLanguage.get(language);
  if (!cached) {
    cached = buildFormatters(language);
    formattersByLanguage.set(language, cached);
  }
  return cached;
}

/**
 * Dates inside a text read as the date beside it: "09.12.2026, 09:00" and "16.12.2026", the format
 * of every date the customer page and the staff app show (web/shared/format.ts), in either language
 * — a feed that said "06.12.2026, 21:13" above "9 Dec 2026, 09:00" read as two systems (issue 16).
 */
function buildFormatters(_language: NewsLanguage): Formatters {
  const dateTime = new Intl.DateTimeFormat('nb-NO', {
    dateStyle: 'short',
    timeStyle: 'short',
    timeZone: 'Europe/Oslo',
  });
  const date = new Intl.DateTimeFormat('nb-NO', {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    timeZone: 'UTC',
  });
  return {
    dateTime: (iso) => dateTime.format(new Date(iso)),
    date: (day) => date.format(new Date(`${day}T00:00:00Z`)),
    duration: formatCallDuration,
  };
}

/**
 * The news item of one event for a customer, or null when the event is not news, its kind is not
 * among `allowed`, its text declines it (a deleted document the customer was never shown), or its
 * data lacks what the text needs.
 */
export function customerNewsItem(
  event: { id: string; kind: string; occurredAt: string; data: unknown },
  allowed: readonly NewsKind[],
  language: NewsLanguage,
): { id: string; kind: NewsKind; occurredAt: string; text: string } | null {
  const kind = event.kind as CaseEventKind;
  const newsKind = newsKindOfEvent[kind];
  if (!newsKind || !allowed.includes(newsKind)) return null;
  const render = (language === 'nb' ? nb : en)[kind] as
    ((data: unknown, f: Formatters) => string | null) | undefined;
  if (!render) return null;
  try {
    const text = render(event.data, formatters(language));
    if (text === null) return null;
    return { id: event.id, kind: newsKind, occurredAt: event.occurredAt, text };
  } catch {
    // An event written before its data had the fields the text needs: leave it out, never guess.
    return null;
  }
}
