import type { Language } from './languages.ts';

/**
 * "Hva skjer nå?" (issue 19): the next expected step of a case and who it waits on, derived from the
 * case's state — status, milestones, the claim decision, the main inspection and the repair tasks
 * with their dates — never a field someone must remember to update. Pure and zod-free: the customer
 * presenter (server), the admin preview and the staff case page read the same rule.
 *
 * Decision outcomes are internal (quality bar 8.2.3) unless the company chose to show them
 * (`showDecisionOutcome`): without it a rejection or a request for more information reads as
 * "a decision was made" (the news feed's wording), and only the positive-decision milestone (already
 * public through the triggers: tabs and links appear at it) moves the step on to the repair.
 */

/** The situations, in the order a case usually passes them; each has a default text in nb and en. */
export const nextStepKeys = [
  'inspection_assignment',
  'inspection_booking',
  'inspection_visit',
  'inspection_in_progress',
  'decision_pending',
  'more_information',
  'decision_made',
  'rejected',
  'repair_planning',
  'repair_planned',
  'repair_in_progress',
  'repair_finished',
  'on_hold',
  'closed',
] as const;
export type NextStepKey = (typeof nextStepKeys)[number];

/** Who the next step waits on; null when nothing is awaited (the case is closed). */
export const nextStepParties = ['customer', 'company', 'inspector', 'contractor'] as const;
export type NextStepParty = (typeof nextStepParties)[number];

/** Who each situation waits on: one answer per situation, so the admin preview can show any of them. */
export const nextStepWaitsOn: Record<NextStepKey, NextStepParty | null> = {
  inspection_assignment: 'company',
  inspection_booking: 'inspector',
  inspection_visit: 'inspector',
  inspection_in_progress: 'inspector',
  decision_pending: 'company',
  more_information: 'customer',
  decision_made: 'company',
  rejected: 'customer',
  repair_planning: 'company',
  repair_planned: 'contractor',
  repair_in_progress: 'contractor',
  repair_finished: 'company',
  on_hold: 'company',
  closed: null,
};

/** What the rule reads of a case. Calendar dates 'YYYY-MM-DD' (Oslo), instants ISO 8601. */
export interface NextStepCase {
  status: 'open' | 'on_hold' | 'closed' | 'cancelled';
  /** The current claim decision (internal: read only as `showDecisionOutcome` allows). */
  claimDecision: 'accepted' | 'rejected' | 'needs_more_information' | null;
  claimDecisionAt: string | null;
  mainInspectionAssignedAt: string | null;
  positiveDecisionAt: string | null;
  mainInspection: { status: NextStepTaskStatus; meetingAt: string | null } | null;
  /** The repair tasks (the project plan's tasks; never the main inspection). */
  repairTasks: Array<{
    status: NextStepTaskStatus;
    startsOn: string | null;
    endsOn: string | null;
  }>;
}
export type NextStepTaskStatus = 'not_started' | 'started' | 'finished';

/** The next step: its situation, who it waits on, and the date it is expected (if the plan says). */
export interface NextStep {
  key: NextStepKey;
  waitingFor: NextStepParty | null;
  /** A meeting time (ISO instant: inspection_visit) or a calendar date (repair_planned / _in_progress). */
  when: string | null;
}

/**
 * The next expected step of a case. `today` is the Oslo calendar date of now (the plan's past dates
 * are no promise); `showDecisionOutcome` is the company's choice to show rejections and requests
 * for more information.
 */
export function nextStepOf(state: NextStepCase, today: string, showDecisionOutcome: boolean): NextStep {
  if (state.status === 'closed' || state.status === 'cancelled') return stepOf('closed');
  if (state.status === 'on_hold') return stepOf('on_hold');

  const decision = state.claimDecision;
  if (decision === 'rejected' || decision === 'needs_more_information') {
    if (!showDecisionOutcome) return stepOf('decision_made');
    return stepOf(decision === 'rejected' ? 'rejected' : 'more_information');
  }
  if (decision === 'accepted' || state.positiveDecisionAt) return repairStep(state.repairTasks, today);

  const inspection = state.mainInspection;
  if (!state.mainInspectionAssignedAt || !inspection) return stepOf('inspection_assignment');
  if (inspection.status === 'finished') return stepOf('decision_pending');
  if (inspection.status === 'started') return stepOf('inspection_in_progress');
  // A meeting time already past is no visit to wait for (the inspector has not started the task yet).
  if (inspection.meetingAt && inspection.meetingAt.slice(0, 10) >= today) {
    return stepOf('inspection_visit', inspection.meetingAt);
  }
  return stepOf('inspection_booking');
}

/** A situation as a step: who it waits on is the situation's, `when` the date it names (if any). */
export function stepOf(key: NextStepKey, when: string | null = null): NextStep {
  return { key, waitingFor: nextStepWaitsOn[key], when };
}

function repairStep(tasks: NextStepCase['repairTasks'], today: string): NextStep {
  const open = tasks.filter((task) => task.status !== 'finished');
  if (tasks.length > 0 && open.length === 0) return stepOf('repair_finished');
  const started = open.filter((task) => task.status === 'started');
  if (started.length > 0) {
    // The work is done when its last started task ends (a past end date is no promise).
    const ends = started.map((task) => task.endsOn).filter((day): day is string => !!day && day >= today);
    return stepOf('repair_in_progress', ends.length === started.length ? ends.sort().at(-1)! : null);
  }
  const starts = open
    .map((task) => task.startsOn)
    .filter((day): day is string => !!day && day >= today)
    .sort();
  return starts.length > 0 ? stepOf('repair_planned', starts[0]!) : stepOf('repair_planning');
}

// ---------------------------------------------------------------------------------------------------
// Texts. `{week}` is the ISO week of the step's date ("3", or "3, 2027" in another year than today's),
// `{date}` the date (meeting: "09.12.2026, 09:00"; day: "16.12.2026"). A company's own text for a
// situation replaces the default; one that names a placeholder the step has no date for falls back
// to the default (a text promising "week {week}" with no plan would read "week ").

/** A text in both languages; an empty text means "the default". */
export interface LocalizedText {
  nb: string;
  en: string;
}
/** The company's own wording per situation (customer-page settings, `nextStepTexts`). */
export type NextStepTexts = Record<NextStepKey, LocalizedText>;

/** Length limit of one wording (our number). */
export const MAX_NEXT_STEP_TEXT = 300;
/** Length limit of the text on asking for a new assessment or complaining (our number). */
export const MAX_RECONSIDERATION_TEXT = 2000;

/** No own wording: every situation reads its default. */
export const emptyNextStepTexts = Object.fromEntries(
  nextStepKeys.map((key) => [key, { nb: '', en: '' }]),
) as NextStepTexts;

type Defaults = Record<NextStepKey, string | { dated: string; undated: string }>;

/** The default wordings (nb: ours, in the guide's terms; en: ours). */
export const defaultNextStepTexts: Record<Language, Defaults> = {
  nb: {
    inspection_assignment: 'Vi finner en takstmann som skal se på skaden.',
    inspection_booking: 'Takstmannen tar kontakt med deg for å avtale befaring.',
    inspection_visit: {
      dated: 'Takstmannen kommer på befaring {date}.',
      undated: 'Takstmannen kommer på befaring.',
    },
    inspection_in_progress: 'Takstmannen gjør ferdig befaringen og rapporten.',
    decision_pending: 'Vi vurderer saken og tar en beslutning om dekning.',
    more_information: 'Vi trenger flere opplysninger fra deg. Send oss dem under Kommunikasjon.',
    decision_made: 'Det er tatt en beslutning i saken. Saksbehandleren tar kontakt med deg.',
    rejected: 'Saken er avslått. Du kan be om en ny vurdering eller klage (se under).',
    repair_planning: 'Vi planlegger reparasjonen og tar kontakt når datoene er klare.',
    repair_planned: {
      dated: 'Arbeidet er planlagt å starte i uke {week}.',
      undated: 'Arbeidet er planlagt, og håndverkeren tar kontakt.',
    },
    repair_in_progress: {
      dated: 'Arbeidet pågår og er planlagt ferdig i uke {week}.',
      undated: 'Arbeidet pågår.',
    },
    repair_finished: 'Arbeidet er ferdig. Vi gjør opp saken og avslutter den.',
    on_hold: 'Saken er satt på vent. Vi tar kontakt når den går videre.',
    closed: 'Saken er avsluttet.',
  },
  en: {
    inspection_assignment: 'We are finding an inspector to look at the damage.',
    inspection_booking: 'The inspector will contact you to arrange a visit.',
    inspection_visit: { dated: 'The inspector visits on {date}.', undated: 'The inspector will visit.' },
    inspection_in_progress: 'The inspector is finishing the inspection and the report.',
    decision_pending: 'We are assessing the case and deciding on the cover.',
    more_information: 'We need more information from you. Send it to us under Communication.',
    decision_made: 'A decision has been made in the case. Your case handler will contact you.',
    rejected: 'The claim has been rejected. You can ask for a new assessment or complain (see below).',
    repair_planning: 'We are planning the repair and will contact you when the dates are set.',
    repair_planned: {
      dated: 'The work is planned to start in week {week}.',
      undated: 'The work is planned, and the contractor will contact you.',
    },
    repair_in_progress: {
      dated: 'The work is under way and planned to be finished in week {week}.',
      undated: 'The work is under way.',
    },
    repair_finished: 'The work is finished. We are settling and closing the case.',
    on_hold: 'The case is on hold. We will contact you when it moves on.',
    closed: 'The case is closed.',
  },
};

/** The default text on asking for a new assessment or complaining (a company writes its own). */
export const defaultReconsiderationText: LocalizedText = {
  nb:
    'Er du uenig i avgjørelsen, kan du be om en ny vurdering ved å svare saksbehandleren under ' +
    'Kommunikasjon. Fortell hva du mener er feil, og send gjerne med bilder ' +
    'eller dokumenter. Du kan også klage til selskapets klageansvarlige eller få saken vurdert av ' +
    'Finansklagenemnda (finkn.no).',
  en:
    'If you disagree with the decision, you can ask for a new assessment by replying to your case ' +
    'handler under Communication. Tell us what you think is wrong, and feel free ' +
    "to add photos or documents. You can also complain to the company's complaints officer or have " +
    'the case assessed by the Norwegian Financial Services Complaints Board (finkn.no).',
};

/** The situation's name for the admin page (one row per situation). */
export const nextStepKeyLabel: Record<Language, Record<NextStepKey, string>> = {
  nb: {
    inspection_assignment: 'Før takstmann er tildelt',
    inspection_booking: 'Takstmann tildelt, befaring ikke avtalt',
    inspection_visit: 'Befaring avtalt ({date})',
    inspection_in_progress: 'Befaring påbegynt',
    decision_pending: 'Befaring fullført, venter på beslutning',
    more_information: 'Behøver tilleggsopplysninger (når utfallet vises)',
    decision_made: 'Beslutning tatt (når utfallet ikke vises)',
    rejected: 'Avvist (når utfallet vises)',
    repair_planning: 'Godtatt, reparasjon ikke planlagt',
    repair_planned: 'Reparasjon planlagt ({week})',
    repair_in_progress: 'Reparasjon pågår ({week})',
    repair_finished: 'Reparasjon ferdig',
    on_hold: 'Saken er satt på vent',
    closed: 'Saken er avsluttet',
  },
  en: {
    inspection_assignment: 'Before an inspector is assigned',
    inspection_booking: 'Inspector assigned, visit not arranged',
    inspection_visit: 'Visit arranged ({date})',
    inspection_in_progress: 'Inspection started',
    decision_pending: 'Inspection finished, awaiting the decision',
    more_information: 'Needs more information (when the outcome is shown)',
    decision_made: 'Decision made (when the outcome is not shown)',
    rejected: 'Rejected (when the outcome is shown)',
    repair_planning: 'Accepted, repair not planned',
    repair_planned: 'Repair planned ({week})',
    repair_in_progress: 'Repair under way ({week})',
    repair_finished: 'Repair finished',
    on_hold: 'Case on hold',
    closed: 'Case closed',
  },
};

const meetingFormat = new Intl.DateTimeFormat('nb-NO', {
  dateStyle: 'short',
  timeStyle: 'short',
  timeZone: 'Europe/Oslo',
});
const dayFormat = new Intl.DateTimeFormat('nb-NO', {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  timeZone: 'UTC',
});

/** The ISO 8601 week and its year of a calendar date. */
export function isoWeek(day: string): { week: number; year: number } {
  const date = new Date(`${day}T00:00:00Z`);
  const weekday = date.getUTCDay() || 7;
  // The Thursday of the date's week decides the week's year.
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const year = date.getUTCFullYear();
  const firstDay = Date.UTC(year, 0, 1);
  const week = Math.ceil(((date.getTime() - firstDay) / 86_400_000 + 1) / 7);
  return { week, year };
}

/** The default text of a situation (dated when the step has a date). */
export function defaultNextStepText(key: NextStepKey, language: Language, dated: boolean): string {
  const text = defaultNextStepTexts[language][key];
  return typeof text === 'string' ? text : dated ? text.dated : text.undated;
}

/**
 * The sentence the customer reads: the company's own wording for the situation (if any, and if the
 * step has the date it names) or the default, with `{week}` and `{date}` filled in.
 */
export function nextStepText(
  step: NextStep,
  language: Language,
  today: string,
  own: NextStepTexts | null = null,
): string {
  const custom = own?.[step.key]?.[language].trim() ?? '';
  const usable = custom !== '' && (step.when !== null || !/\{(week|date)\}/.test(custom));
  const template = usable ? custom : defaultNextStepText(step.key, language, step.when !== null);
  if (step.when === null) return template;
  const isInstant = step.when.length > 10;
  const day = isInstant ? step.when.slice(0, 10) : step.when;
  const { week, year } = isoWeek(day);
  const weekText = year === Number(today.slice(0, 4)) ? String(week) : `${week}, ${year}`;
  const dateText = isInstant
    ? meetingFormat.format(new Date(step.when))
    : dayFormat.format(new Date(`${day}T00:00:00Z`));
  return template.replaceAll('{week}', weekText).replaceAll('{date}', dateText);
}

/** The company's text on asking for a new assessment or complaining, or the default. */
export function reconsiderationText(language: Language, own: LocalizedText | null = null): string {
  const custom = own?.[language].trim() ?? '';
  return custom !== '' ? custom : defaultReconsiderationText[language];
}
