import type { NewsKind } from '../../common/rules/case-events.ts';
import type { CustomerPageColors } from '../../common/rules/customer-page-settings.ts';
import {
  nextStepOf,
  nextStepText,
  reconsiderationText,
  stepOf,
  type LocalizedText,
  type NextStepKey,
  type NextStepTexts,
} from '../../common/rules/next-step.ts';
import { addDays, osloDate } from '../../common/rules/oslo-date.ts';
import type { CaseVisibilityState } from '../../common/rules/visibility.ts';
import type { Language } from '../i18n/lookup.ts';
import type { CustomerPageModel, CustomerTask, Page } from './model.ts';

/** The sample's short lists as the page answer holds a list: all of it on its first page. */
const wholeList = <T>(items: T[]): Page<T> => ({
  items,
  total: items.length,
  page: 1,
  pageSize: Math.max(items.length, 1),
});

/**
 * A built-in sample case for the admin preview ("Forhåndsvis sida"): a water damage with news of
 * almost every kind, repair tasks with meetings and photos, both reports, shared documents, a budget
 * and a short message thread — in Norwegian and English. The preview chooses a milestone; the case's
 * history (its news, the state passed to customerVisibility) is what had happened by then.
 */

/** The milestones the preview can show, in order. */
export const sampleMilestones = [
  'case_created',
  'main_inspection_assigned',
  'positive_decision',
  'closed',
] as const;
export type SampleMilestone = (typeof sampleMilestones)[number];

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;

/**
 * The point the sample's timeline is drawn around: now, or for a closed case the moment it was
 * closed (so everything else happened before that).
 */
function anchorOf(milestone: SampleMilestone, now: Date, closedDaysAgo: number): number {
  return milestone === 'closed' ? now.getTime() - closedDaysAgo * DAY : now.getTime();
}

const reachedAt = (milestone: SampleMilestone, stage: SampleMilestone) =>
  sampleMilestones.indexOf(milestone) >= sampleMilestones.indexOf(stage);

/** The sample case's milestones at a milestone of the preview (the input of customerVisibility). */
export function sampleCaseState(
  milestone: SampleMilestone,
  now: Date,
  closedDaysAgo: number,
): CaseVisibilityState {
  const anchor = anchorOf(milestone, now, closedDaysAgo);
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    status: milestone === 'closed' ? 'closed' : 'open',
    createdAt: iso(anchor - 30 * DAY),
    mainInspectionAssignedAt: reachedAt(milestone, 'main_inspection_assigned')
      ? iso(anchor - 25 * DAY)
      : null,
    positiveDecisionAt: reachedAt(milestone, 'positive_decision') ? iso(anchor - 14 * DAY) : null,
    closedAt: milestone === 'closed' ? iso(anchor) : null,
  };
}

interface SampleOptions {
  language: Language;
  milestone: SampleMilestone;
  now: Date;
  closedDaysAgo: number;
  company: CustomerPageModel['company'];
  colors: CustomerPageColors;
  /** "Hva skjer nå?" as the company words it; `situation` shows one situation instead of the milestone's. */
  nextStep?: SampleNextStep;
}

/** The company's wording for the preview's "Hva skjer nå?" (unsaved settings of the admin page). */
export interface SampleNextStep {
  texts: NextStepTexts;
  reconsiderationText: LocalizedText;
  showDecisionOutcome: boolean;
  situation: NextStepKey | null;
}

/** The sample case as the customer page's model, at a milestone, in a language. */
export function sampleCustomerPage(options: SampleOptions): CustomerPageModel {
  const { language, milestone, now } = options;
  const x = texts[language];
  const anchor = anchorOf(milestone, now, options.closedDaysAgo);
  const at = (ms: number) => new Date(anchor + ms).toISOString();
  const day = (days: number) => addDays(osloDate(new Date(anchor)), days);
  /** A time of day in Oslo (winter time; the sample needs no exact summer hour). */
  const clock = (days: number, hour: number) =>
    `${day(days)}T${String(hour - 1).padStart(2, '0')}:00:00.000Z`;
  const closed = milestone === 'closed';

  const tasks: Array<CustomerTask & { office: string | null; responsible: string | null }> = [
    {
      id: 'drying',
      name: x.tasks.drying.name,
      description: x.tasks.drying.description,
      startsOn: day(-10),
      endsOn: day(4),
      meetingAt: clock(-10, 9),
      status: closed ? 'finished' : 'started',
      hasMedia: true,
      media: [],
      office: 'Tørkeservice Øst AS',
      responsible: 'Lise Berg',
    },
    {
      id: 'demolition',
      name: x.tasks.demolition.name,
      description: x.tasks.demolition.description,
      startsOn: day(5),
      endsOn: day(7),
      meetingAt: clock(5, 8),
      status: closed ? 'finished' : 'not_started',
      hasMedia: true,
      media: [],
      office: 'Bygg & Rør AS',
      responsible: 'Per Hansen',
    },
    {
      id: 'bathroom',
      name: x.tasks.bathroom.name,
      description: x.tasks.bathroom.description,
      startsOn: day(8),
      endsOn: day(28),
      meetingAt: clock(8, 8),
      status: closed ? 'finished' : 'not_started',
      hasMedia: false,
      media: [],
      office: 'Bygg & Rør AS',
      responsible: 'Per Hansen',
    },
    {
      id: 'final-check',
      name: x.tasks.finalCheck.name,
      description: null,
      startsOn: day(29),
      endsOn: null,
      meetingAt: clock(29, 13),
      status: closed ? 'finished' : 'not_started',
      hasMedia: false,
      media: [],
      office: null,
      responsible: null,
    },
  ];

  const news: Array<{ kind: NewsKind; at: number; text: string; stage: SampleMilestone }> = [
    { kind: 'call_history', at: -29 * DAY, text: x.news.call, stage: 'case_created' },
    {
      kind: 'main_inspection_assigned',
      at: -25 * DAY,
      text: x.news.inspectionAssigned,
      stage: 'main_inspection_assigned',
    },
    {
      kind: 'inspector_assigned',
      at: -25 * DAY + HOUR,
      text: x.news.inspector,
      stage: 'main_inspection_assigned',
    },
    {
      kind: 'main_inspection_started',
      at: -21 * DAY,
      text: x.news.inspectionStarted,
      stage: 'main_inspection_assigned',
    },
    {
      kind: 'main_inspection_finished',
      at: -21 * DAY + 3 * HOUR,
      text: x.news.inspectionFinished,
      stage: 'main_inspection_assigned',
    },
    { kind: 'document_shared', at: -20 * DAY, text: x.news.reportShared, stage: 'main_inspection_assigned' },
    { kind: 'claim_decision', at: -14 * DAY, text: x.news.decision, stage: 'positive_decision' },
    { kind: 'tasks_added', at: -13 * DAY, text: x.news.tasksAdded, stage: 'positive_decision' },
    {
      kind: 'task_office_assigned',
      at: -13 * DAY + HOUR,
      text: x.news.officeAssigned,
      stage: 'positive_decision',
    },
    {
      kind: 'repair_responsible_chosen',
      at: -12 * DAY,
      text: x.news.responsible,
      stage: 'positive_decision',
    },
    {
      kind: 'project_manager_assigned',
      at: -12 * DAY + HOUR,
      text: x.news.projectManager,
      stage: 'positive_decision',
    },
    {
      kind: 'project_management_assigned',
      at: -12 * DAY + 2 * HOUR,
      text: x.news.projectManagement,
      stage: 'positive_decision',
    },
    {
      kind: 'repair_schedule_changed',
      at: -11 * DAY,
      text: x.news.schedule(day(5), day(7)),
      stage: 'positive_decision',
    },
    {
      kind: 'meeting_time_changed',
      at: -11 * DAY + HOUR,
      text: x.news.meeting(clock(5, 8)),
      stage: 'positive_decision',
    },
    { kind: 'task_started_finished', at: -10 * DAY, text: x.news.taskStarted, stage: 'positive_decision' },
    { kind: 'message_to_customer', at: -3 * DAY, text: x.news.message, stage: 'positive_decision' },
    { kind: 'document_unshared', at: -2 * DAY, text: x.news.unshared, stage: 'positive_decision' },
    { kind: 'case_closed', at: 0, text: x.news.closed, stage: 'closed' },
  ];

  return {
    company: options.company,
    colors: options.colors,
    case: {
      address: { street: 'Storgata 12', postalCode: '0155', city: 'Oslo' },
      claimNumber: 'EKS-2026-0142',
      caseHandler: { name: 'Kari Nordmann', phone: '+4791234567' },
      partnerContacts: [
        {
          office: 'Tørkeservice Øst AS',
          person: 'Lise Berg',
          phone: '+4790011223',
          taskName: x.tasks.drying.name,
        },
        {
          office: 'Bygg & Rør AS',
          person: 'Per Hansen',
          phone: '+4798765432',
          taskName: x.tasks.demolition.name,
        },
      ],
    },
    news: wholeList(
      news
        .filter((item) => reachedAt(milestone, item.stage))
        .map((item, index) => ({
          id: `news-${index}`,
          kind: item.kind,
          occurredAt: at(item.at),
          text: item.text,
        })),
    ),
    plan: tasks
      .filter((task) => task.meetingAt !== null && task.meetingAt > now.toISOString())
      .map((task) => ({
        id: task.id,
        taskName: task.name,
        meetingAt: task.meetingAt ?? '',
        partner: task.office,
        responsible: task.responsible,
      })),
    tasks: tasks.map(({ office: _office, responsible: _responsible, ...task }) => task),
    documents: {
      inspectionReport: {
        id: 'inspection-report',
        name: x.documents.inspectionReport,
        url: '#sample-inspection-report',
        sizeBytes: 245_000,
        sharedAt: at(-20 * DAY),
      },
      settlementReport: {
        id: 'settlement-report',
        name: x.documents.settlementReport,
        url: '#sample-settlement-report',
        sizeBytes: 88_000,
        sharedAt: at(-DAY),
      },
      shared: [
        {
          id: 'moisture',
          name: x.documents.moisture,
          url: '#sample-moisture',
          sizeBytes: 120_500,
          sharedAt: at(-9 * DAY),
        },
        {
          id: 'quote',
          name: x.documents.quote,
          url: '#sample-quote',
          sizeBytes: 310_000,
          sharedAt: at(-6 * DAY),
        },
        {
          id: 'photo',
          name: x.documents.photo,
          url: '#sample-photo',
          sizeBytes: 1_850_000,
          sharedAt: at(-6 * DAY),
        },
      ],
    },
    budget: {
      lines: [
        { id: 'leak', description: x.budget.leak, amountOre: 450_000 },
        { id: 'drying', description: x.tasks.drying.name, amountOre: 1_875_000 },
        { id: 'demolition', description: x.tasks.demolition.name, amountOre: 3_200_000 },
        { id: 'bathroom', description: x.tasks.bathroom.name, amountOre: 14_525_050 },
        { id: 'final-check', description: x.tasks.finalCheck.name, amountOre: 300_000 },
      ],
    },
    messages: wholeList([
      {
        id: 'message-1',
        sentAt: at(-13 * DAY),
        senderEmail: 'kari.nordmann@forsikring.example',
        fromCustomer: false,
        own: false,
        text: x.messages.first,
        attachments: [],
      },
      {
        id: 'message-2',
        sentAt: at(-12 * DAY),
        senderEmail: 'nora.berg@example.com',
        fromCustomer: true,
        own: true,
        text: x.messages.second,
        attachments: [{ id: 'attachment-1', name: x.documents.photo, url: '#sample-photo' }],
      },
      {
        id: 'message-3',
        sentAt: at(-3 * DAY),
        senderEmail: 'kari.nordmann@forsikring.example',
        fromCustomer: false,
        own: false,
        text: x.messages.third,
        attachments: [],
      },
    ]),
    ...sampleNextStep(options, tasks, (days) => day(days), clock),
  };
}

/** "Hva skjer nå?" of the sample: the rule on the sample's state, or the situation the admin picked. */
function sampleNextStep(
  options: SampleOptions,
  tasks: CustomerTask[],
  day: (days: number) => string,
  clock: (days: number, hour: number) => string,
): Pick<CustomerPageModel, 'nextStep' | 'rejection'> {
  const { milestone, now, language } = options;
  const own = options.nextStep ?? null;
  const today = osloDate(now);
  const sampleWhen: Partial<Record<NextStepKey, string>> = {
    inspection_visit: clock(3, 10),
    repair_planned: day(12),
    repair_in_progress: day(20),
  };
  const step = own?.situation
    ? stepOf(own.situation, sampleWhen[own.situation] ?? null)
    : nextStepOf(
        {
          status: milestone === 'closed' ? 'closed' : 'open',
          claimDecision: reachedAt(milestone, 'positive_decision') ? 'accepted' : null,
          claimDecisionAt: null,
          mainInspectionAssignedAt: reachedAt(milestone, 'main_inspection_assigned')
            ? now.toISOString()
            : null,
          positiveDecisionAt: null,
          mainInspection: { status: 'not_started', meetingAt: sampleWhen.inspection_visit ?? null },
          repairTasks: tasks,
        },
        today,
        own?.showDecisionOutcome ?? false,
      );
  return {
    nextStep: {
      key: step.key,
      waitingFor: step.waitingFor,
      text: nextStepText(step, language, today, own?.texts ?? null),
    },
    rejection:
      step.key === 'rejected'
        ? {
            decidedAt: new Date(now.getTime() - 2 * DAY).toISOString(),
            text: reconsiderationText(language, own?.reconsiderationText ?? null),
          }
        : null,
  };
}

const osloTime = new Intl.DateTimeFormat('nb-NO', {
  timeZone: 'Europe/Oslo',
  dateStyle: 'short',
  timeStyle: 'short',
});
const osloDay = (date: string) => date.split('-').reverse().join('.');

const nbTexts = {
  tasks: {
    drying: {
      name: 'Uttørking',
      description:
        'Avfuktere står i kjelleren og på badet. Fuktmålingen gjentas hver uke til materialene er tørre.',
    },
    demolition: {
      name: 'Riving av bad',
      description: 'Fliser, membran og sluk fjernes. Badet kan ikke brukes i denne perioden.',
    },
    bathroom: {
      name: 'Nytt bad',
      description: 'Ny membran, fliser, sluk og innredning etter tilbudet du har fått.',
    },
    finalCheck: { name: 'Sluttkontroll' },
  },
  news: {
    call: 'Kari Nordmann ringte Ola Nordmann (412 34 567), samtalen varte 4 min',
    inspectionAssigned: 'Hovedbesiktigelsen er tildelt Takst Vest AS.',
    inspector: 'Ola Inspektør er inspektør i saken.',
    inspectionStarted: 'Hovedbesiktigelsen er påbegynt.',
    inspectionFinished: 'Hovedbesiktigelsen er fullført.',
    reportShared: 'Dokumentet «Besiktigelsesrapport.pdf» er delt med deg.',
    decision: 'Det er tatt en beslutning i saken.',
    tasksAdded: 'Nye oppgaver er lagt til i saken.',
    officeAssigned: 'Oppgaven «Uttørking» er tildelt Tørkeservice Øst AS.',
    responsible: 'Lise Berg er ansvarlig for oppgaven «Uttørking».',
    projectManager: 'Per Hansen er prosjektleder.',
    projectManagement: 'Prosjektledelsen er tildelt Bygg & Rør AS.',
    schedule: (from: string, to: string) =>
      `Tidsplan for «Riving av bad»: ${osloDay(from)} – ${osloDay(to)}.`,
    meeting: (iso: string) => `Møtetidspunkt for «Riving av bad»: ${osloTime.format(new Date(iso))}.`,
    taskStarted: 'Oppgaven «Uttørking» er startet.',
    message: 'Du har fått en ny melding.',
    unshared: 'Dokumentet «Tilbud, første utkast.pdf» er ikke lenger delt med deg.',
    closed: 'Saken er avsluttet.',
  },
  documents: {
    inspectionReport: 'Besiktigelsesrapport.pdf',
    settlementReport: 'Kundeoppgjørsrapport.pdf',
    moisture: 'Fuktmåling uke 1.pdf',
    quote: 'Tilbud nytt bad.pdf',
    photo: 'Bilde av skaden.jpg',
  },
  budget: { leak: 'Lekkasjesøk' },
  messages: {
    first:
      'Hei! Vi har satt i gang uttørking av kjelleren og badet. Du får beskjed her når arbeidet på badet er planlagt.',
    second: 'Takk! Kan håndverkerne komme etter klokka 8? Her er et bilde av skaden på badet.',
    third: 'Per fra Bygg & Rør AS kommer kl. 8.00 den første dagen for å starte rivingen.',
  },
};

const texts: Record<Language, typeof nbTexts> = {
  nb: nbTexts,
  en: {
    tasks: {
      drying: {
        name: 'Drying',
        description:
          'Dehumidifiers are running in the basement and the bathroom. Moisture is measured every week until the materials are dry.',
      },
      demolition: {
        name: 'Bathroom demolition',
        description: 'Tiles, membrane and drain are removed. The bathroom cannot be used meanwhile.',
      },
      bathroom: {
        name: 'New bathroom',
        description: 'New membrane, tiles, drain and fittings as in the quote you received.',
      },
      finalCheck: { name: 'Final check' },
    },
    news: {
      call: 'Kari Nordmann called Ola Nordmann (412 34 567); the call lasted 4 min',
      inspectionAssigned: 'The main inspection was assigned to Takst Vest AS.',
      inspector: 'Ola Inspektør is the inspector of the case.',
      inspectionStarted: 'The main inspection has started.',
      inspectionFinished: 'The main inspection is finished.',
      reportShared: 'The document "Inspection report.pdf" was shared with you.',
      decision: 'A decision has been made in the case.',
      tasksAdded: 'New tasks were added to the case.',
      officeAssigned: 'The task "Drying" was assigned to Tørkeservice Øst AS.',
      responsible: 'Lise Berg is responsible for the task "Drying".',
      projectManager: 'Per Hansen is the project manager.',
      projectManagement: 'Project management was assigned to Bygg & Rør AS.',
      schedule: (from: string, to: string) =>
        `Schedule of "Bathroom demolition": ${osloDay(from)} – ${osloDay(to)}.`,
      meeting: (iso: string) => `Meeting time of "Bathroom demolition": ${osloTime.format(new Date(iso))}.`,
      taskStarted: 'The task "Drying" has started.',
      message: 'You have a new message.',
      unshared: 'The document "Quote, first draft.pdf" is no longer shared with you.',
      closed: 'The case is closed.',
    },
    documents: {
      inspectionReport: 'Inspection report.pdf',
      settlementReport: 'Customer settlement report.pdf',
      moisture: 'Moisture reading week 1.pdf',
      quote: 'Quote new bathroom.pdf',
      photo: 'Photo of the damage.jpg',
    },
    budget: { leak: 'Leak detection' },
    messages: {
      first:
        'Hello! We have started drying the basement and the bathroom. You will hear from us here once the bathroom work is planned.',
      second:
        'Thank you! Could the craftsmen come after 8 am? Here is a photo of the damage in the bathroom.',
      third: 'Per from Bygg & Rør AS will come at 8:00 on the first day to start the demolition.',
    },
  },
};
