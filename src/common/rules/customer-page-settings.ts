import { newsKinds, type NewsKind } from './case-events.ts';
import type { PortalType } from './enums.ts';
import type { Language } from './languages.ts';
import { emptyNextStepTexts, type LocalizedText, type NextStepTexts } from './next-step.ts';

/**
 * Settings of the customer page (spec §4–§5), with the names and values of the integration contract
 * §3 (`GET/PUT /api/admin/customer-page`): their values, types, defaults and labels, without zod, so
 * the customer bundle and `visibility.ts` can use them. One object per company; the server validates
 * it with `customerPageSettingsSchema` (contracts/customer-page-settings.ts, checked at compile time
 * to produce exactly {@link CustomerPageSettings}), the admin page types its form by it, and
 * `visibility.ts` turns it (with a case's milestones) into what a customer sees.
 */

/** When something becomes visible (spec §6), in the guide's order. */
export const triggers = ['case_created', 'main_inspection_assigned', 'positive_decision', 'never'] as const;
export type Trigger = (typeof triggers)[number];

/**
 * When the link goes out. `manual` exists only here (staff grant access from the case). The guide
 * offers no "never" for the link: a company that wants no automatic link chooses `manual`.
 */
export const sendLinkValues = [
  'case_created',
  'main_inspection_assigned',
  'positive_decision',
  'manual',
] as const;
export type SendLink = (typeof sendLinkValues)[number];

/** Who gets access to the customer page (Kontaktperson). */
export const accessForValues = ['customer', 'contact_person', 'both', 'all_contacts'] as const;
export type AccessFor = (typeof accessForValues)[number];

/** Which way messages may go on the Communication tab (Kommunikasjonsmetode). */
export const communicationMethods = ['both_ways', 'to_customer', 'from_customer'] as const;
export type CommunicationMethod = (typeof communicationMethods)[number];

/** The six colours of the appearance (Tilpassing), in the guide's order. */
export const colorKeys = [
  'pageBackground',
  'menuBackground',
  'menuSelectedBackground',
  'menuText',
  'menuSelectedText',
  'headingText',
] as const;
export type ColorKey = (typeof colorKeys)[number];

/**
 * Days a closed case stays visible: a whole number from 0 to 3650 (ten years; our limit). 0 closes
 * the customer page the moment the case is closed; N keeps it through the Nth Oslo calendar day after
 * the closing day (visibility.ts, lastVisibleDay).
 */
export const MAX_VISIBLE_DAYS_AFTER_CLOSE = 3650;
/** Length limit of the "contact for more information" text (our number). */
export const MAX_CONTACT_FOR_MORE_INFO = 1000;

/** The six colours of the customer page, each `#rrggbb` in lower case. */
export type CustomerPageColors = Record<ColorKey, string>;

/** Every setting of the customer page; the validation rules are those of the schema (contracts). */
export interface CustomerPageSettings {
  /**
   * The SMS security code after the link. With {@link CustomerPageSettings.bankIdSignIn} on, it is
   * the fallback offered while BankID is unavailable.
   */
  smsSecurityCode: boolean;
  /** The customer identifies with BankID through the company's OIDC broker after opening the link. */
  bankIdSignIn: boolean;
  accessFor: AccessFor;
  sendLink: SendLink;
  /** Whole days, 0 to {@link MAX_VISIBLE_DAYS_AFTER_CLOSE}. */
  visibleDaysAfterClose: number;
  showBudget: Trigger;
  showNews: Trigger;
  /** The news kinds shown, each once, in the guide's order. */
  newsFilter: NewsKind[];
  showPlanOnDashboard: boolean;
  showProjectPlan: Trigger;
  showCommunication: Trigger;
  communicationMethod: CommunicationMethod;
  showDocuments: Trigger;
  showInspectionReport: Trigger;
  showSettlementReport: Trigger;
  showCaseHandler: boolean;
  /** Only with showCaseHandler (the phone number is shown with the handler's name). */
  showCaseHandlerPhone: boolean;
  showPartnerContact: boolean;
  /** At most {@link MAX_CONTACT_FOR_MORE_INFO} characters. */
  contactForMoreInfo: string;
  colors: CustomerPageColors;
  useCompanyLogo: boolean;
  /**
   * Issue 19: show the customer a rejection (with its date and {@link reconsiderationText}) or a
   * request for more information. Off: decision outcomes stay internal (quality bar 8.2.3).
   */
  showDecisionOutcome: boolean;
  /** How to ask for a new assessment or complain, per language; empty: the default (next-step.ts). */
  reconsiderationText: LocalizedText;
  /** The company's own "Hva skjer nå?" wording per situation and language; empty: the default. */
  nextStepTexts: NextStepTexts;
}
export type SettingName = keyof CustomerPageSettings;

/** Every setting once, in the contract's order: a record, so the compiler refuses a missing name. */
const settingOrder: Record<SettingName, null> = {
  smsSecurityCode: null,
  bankIdSignIn: null,
  accessFor: null,
  sendLink: null,
  visibleDaysAfterClose: null,
  showBudget: null,
  showNews: null,
  newsFilter: null,
  showPlanOnDashboard: null,
  showProjectPlan: null,
  showCommunication: null,
  communicationMethod: null,
  showDocuments: null,
  showInspectionReport: null,
  showSettlementReport: null,
  showCaseHandler: null,
  showCaseHandlerPhone: null,
  showPartnerContact: null,
  contactForMoreInfo: null,
  colors: null,
  useCompanyLogo: null,
  showDecisionOutcome: null,
  reconsiderationText: null,
  nextStepTexts: null,
};
/** The names of every setting, in the order of the contract (and of its schema's fields). */
export const settingNames = Object.keys(settingOrder) as SettingName[];

/**
 * Six accessible default colours: a white page, a dark blue menu with white text, the selected item
 * light blue with dark blue text, dark blue headings. Every text pair is above 7:1 (WCAG AAA), see
 * color-contrast.ts and its test.
 */
export const defaultColors: CustomerPageColors = {
  pageBackground: '#ffffff',
  menuBackground: '#1f3a5f',
  menuSelectedBackground: '#dce8f5',
  menuText: '#ffffff',
  menuSelectedText: '#1f3a5f',
  headingText: '#1f3a5f',
};

/**
 * The news kinds ticked by default (the guide shows no default): what tells a customer that the case
 * moves and what reaches them — milestones, tasks and their times, messages and shared documents.
 * Left out: call history (phone numbers and staff names of every call), the internal staffing of
 * tasks (responsible person, office, project manager/management) and withdrawn documents.
 */
export const defaultNewsFilter: NewsKind[] = sortNewsKinds([
  'inspector_assigned',
  'main_inspection_started',
  'main_inspection_finished',
  'claim_decision',
  'task_started_finished',
  'case_closed',
  'main_inspection_assigned',
  'tasks_added',
  'case_reopened',
  'meeting_time_changed',
  'repair_schedule_changed',
  'message_to_customer',
  'document_shared',
]);

/**
 * The defaults: those the guide shows (SMS code off, customer only, link at case creation, 30 days,
 * budget never, project plan / communication / documents at case creation, both ways, inspection
 * report at main-inspection assignment, settlement report never, company logo), and our choices where
 * it shows none: news section at case creation, {@link defaultNewsFilter}, no plan on the dashboard
 * (an opt-in checkbox in the guide), case handler's name shown, phone and partner contact not shown,
 * no contact text.
 */
export const defaultCustomerPageSettings: CustomerPageSettings = {
  smsSecurityCode: false,
  bankIdSignIn: false,
  accessFor: 'customer',
  sendLink: 'case_created',
  visibleDaysAfterClose: 30,
  showBudget: 'never',
  showNews: 'case_created',
  newsFilter: defaultNewsFilter,
  showPlanOnDashboard: false,
  showProjectPlan: 'case_created',
  showCommunication: 'case_created',
  communicationMethod: 'both_ways',
  showDocuments: 'case_created',
  showInspectionReport: 'main_inspection_assigned',
  showSettlementReport: 'never',
  showCaseHandler: true,
  showCaseHandlerPhone: false,
  showPartnerContact: false,
  contactForMoreInfo: '',
  colors: defaultColors,
  useCompanyLogo: true,
  showDecisionOutcome: false,
  reconsiderationText: { nb: '', en: '' },
  nextStepTexts: emptyNextStepTexts,
};

/** News kinds in the guide's order (the order of `newsKinds`). */
export function sortNewsKinds(kinds: readonly NewsKind[]): NewsKind[] {
  return [...kinds].sort((a, b) => newsKinds.indexOf(a) - newsKinds.indexOf(b));
}
// ---------------------------------------------------------------------------------------------------
// Texts for the admin page (Norwegian bokmål from the guide; English ours).

export interface LabelText {
  label: string;
  help: string;
}

/** The 19 news kinds: the guide's label and explanation (nb), and the same in English. */
export const newsKindTexts: Record<NewsKind, Record<Language, LabelText>> = {
  call_history: {
    nb: {
      label: 'Ringehistorikk',
      help:
        'Logg over alle anrop som ringes gjennom appen: om mottaker ble nådd, samtalens lengde, nummeret ' +
        'som ble oppringt og navnet på den som ringte.',
    },
    en: {
      label: 'Call history',
      help:
        'Every call made through the app: whether the recipient was reached, the duration, the number ' +
        "called and the caller's name.",
    },
  },
  inspector_assigned: {
    nb: {
      label: 'Saken har blitt tildelt til en inspektør',
      help: 'Oppføring i nyhetsfeeden med navnet på inspektøren.',
    },
    en: {
      label: 'Case assigned to an inspector',
      help: "An entry in the news feed with the inspector's name.",
    },
  },
  main_inspection_started: {
    nb: {
      label: 'Hovedbesiktigelsen er påbegynt',
      help: 'Oppføring i nyhetsfeeden om at hovedbesiktigelsen ble påbegynt.',
    },
    en: { label: 'Main inspection started', help: 'An entry that the main inspection has started.' },
  },
  main_inspection_finished: {
    nb: {
      label: 'Hovedbesiktigelsen er fullført',
      help: 'Oppføring i nyhetsfeeden om at hovedbesiktigelsen ble fullført.',
    },
    en: { label: 'Main inspection finished', help: 'An entry that the main inspection has been finished.' },
  },
  claim_decision: {
    nb: {
      label: 'Erstatningsbeslutning',
      help: 'Oppføring om at en erstatningsbeslutning har blitt tatt i saken. Det vises ikke hva beslutningen er.',
    },
    en: {
      label: 'Claim decision',
      help: 'An entry that a claim decision has been made. What the decision is is never shown.',
    },
  },
  task_started_finished: {
    nb: {
      label: 'Oppgave påbegynt og avsluttet',
      help: 'En oppføring når en hvilken som helst oppgave foruten hovedbesiktigelsen startes eller avsluttes.',
    },
    en: {
      label: 'Task started and finished',
      help: 'An entry when any task other than the main inspection starts or finishes.',
    },
  },
  case_closed: {
    nb: { label: 'Sak avsluttet', help: 'Oppføring at saken ble avsluttet. Kommentarene blir ikke synlige.' },
    en: {
      label: 'Case closed',
      help: 'An entry that the case was closed. The closing comments are never shown.',
    },
  },
  main_inspection_assigned: {
    nb: {
      label: 'Hovedbesiktigelsen har blitt tildelt',
      help: 'Oppføring at hovedbesiktigelsen har blitt tildelt til kontor X.',
    },
    en: {
      label: 'Main inspection assigned',
      help: 'An entry that the main inspection has been assigned to office X.',
    },
  },
  tasks_added: {
    nb: {
      label: 'Det har blitt lagt til nye oppgaver i saken',
      help: 'En oppføring om at nye oppgaver har blitt lagt til.',
    },
    en: { label: 'New tasks added to the case', help: 'An entry that new tasks have been added.' },
  },
  repair_responsible_chosen: {
    nb: {
      label: 'Ansvarlig for reparasjonsoppgave valgt',
      help: 'Oppføring når en ansvarlig for en reparasjonsoppgave er valgt eller endret.',
    },
    en: {
      label: 'Responsible for repair task chosen',
      help: 'An entry when the person responsible for a repair task is chosen or changed.',
    },
  },
  task_office_assigned: {
    nb: {
      label: 'Oppgave har blitt tildelt til et kontor',
      help: 'Oppføring når et kontor er tildelt eller endret for en hvilken som helst oppgave foruten hovedbesiktigelsen.',
    },
    en: {
      label: 'Task assigned to an office',
      help: 'An entry when an office is assigned or changed for any task other than the main inspection.',
    },
  },
  case_reopened: {
    nb: {
      label: 'Sak gjenåpnet',
      help: 'En oppføring med teksten «Forsikring X: Gjenåpnet saken» og datoen. Årsaken vises ikke.',
    },
    en: {
      label: 'Case reopened',
      help: 'An entry "Insurer X: reopened the case" with the date. The reason is never shown.',
    },
  },
  project_manager_assigned: {
    nb: { label: 'Prosjektleder tildelt', help: 'Oppføring når prosjektlederen er tildelt eller endret.' },
    en: {
      label: 'Project manager assigned',
      help: 'An entry when the project manager is assigned or changed.',
    },
  },
  project_management_assigned: {
    nb: {
      label: 'Prosjektledelse har blitt tildelt',
      help: 'Oppføring at prosjektledelsen har blitt tildelt til kontor X.',
    },
    en: {
      label: 'Project management assigned',
      help: 'An entry that project management has been assigned to office X.',
    },
  },
  meeting_time_changed: {
    nb: {
      label: 'Møtetidspunkt lagt til eller endret',
      help: 'En oppføring når møtetidspunktet settes første gang og hver gang det endres.',
    },
    en: {
      label: 'Meeting time added or changed',
      help: 'An entry when the meeting time is first set and whenever it changes.',
    },
  },
  repair_schedule_changed: {
    nb: {
      label: 'Tidsplanen for reparasjonsoppgaven er endret',
      help: 'En oppføring når tidsplanen for en oppgave settes første gang og hver gang den endres.',
    },
    en: {
      label: 'Repair task schedule changed',
      help: "An entry when a task's schedule is first set and whenever it changes.",
    },
  },
  message_to_customer: {
    nb: {
      label: 'Meldinger til kunden',
      help: 'En oppføring når kunden har mottatt en ny melding i Kommunikasjon-fanen.',
    },
    en: {
      label: 'Messages to the customer',
      help: 'An entry when the customer has received a new message on the Communication tab.',
    },
  },
  document_shared: {
    nb: {
      label: 'Dokument delt',
      help: 'En oppføring når et dokument blir delt med kunden og er tilgjengelig fra Dokumenter-fanen.',
    },
    en: {
      label: 'Document shared',
      help: 'An entry when a document is shared with the customer and available on the Documents tab.',
    },
  },
  document_unshared: {
    nb: {
      label: 'Dokumentdeling opphevet',
      help: 'En oppføring når et tidligere delt dokument er trukket tilbake og ikke lenger kan ses fra Dokumenter-fanen.',
    },
    en: {
      label: 'Document sharing revoked',
      help: 'An entry when a shared document is withdrawn and can no longer be seen on the Documents tab.',
    },
  },
};

/**
 * Labels of the trigger and link values. In a contractor portal the decision milestone is the
 * approval of the job (spec §1 Decision).
 */
export function sendLinkLabel(value: SendLink, language: Language, portalType: PortalType): string {
  return value === 'manual' ? manualLabel[language] : triggerLabel(value, language, portalType);
}

export function triggerLabel(value: Trigger, language: Language, portalType: PortalType): string {
  if (value === 'positive_decision' && portalType === 'contractor') return contractorDecisionLabel[language];
  return triggerLabels[language][value];
}

const triggerLabels: Record<Language, Record<Trigger, string>> = {
  nb: {
    case_created: 'Ved saksopprettelse',
    main_inspection_assigned: 'Ved tildeling av hovedbesiktigelsen',
    positive_decision: 'Ved positiv erstatningsbeslutning',
    never: 'Aldri',
  },
  en: {
    case_created: 'At case creation',
    main_inspection_assigned: 'When the main inspection is assigned',
    positive_decision: 'At a positive claim decision',
    never: 'Never',
  },
};
const contractorDecisionLabel: Record<Language, string> = {
  nb: 'Ved godkjent oppdrag',
  en: 'When the job is approved',
};
const manualLabel: Record<Language, string> = { nb: 'Kun manuelt', en: 'Manually only' };

export const accessForLabels: Record<Language, Record<AccessFor, string>> = {
  nb: {
    customer: 'Kun kunden',
    contact_person: 'Kontaktpersonen',
    both: 'Både kunden og kontaktpersonen',
    all_contacts: 'Alle kontaktene i saken',
  },
  en: {
    customer: 'Customer only',
    contact_person: 'The contact person',
    both: 'Both the customer and the contact person',
    all_contacts: 'All contacts on the case',
  },
};

export const communicationMethodLabels: Record<Language, Record<CommunicationMethod, string>> = {
  nb: { both_ways: 'Begge veier', to_customer: 'Bare til kunden', from_customer: 'Bare fra kunden' },
  en: {
    both_ways: 'Both ways',
    to_customer: 'Only to the customer',
    from_customer: 'Only from the customer',
  },
};

/** The colour rows of the appearance, with the guide's labels. */
export const colorLabels: Record<Language, Record<ColorKey, string>> = {
  nb: {
    pageBackground: 'Sidens bakgrunnsfarge',
    menuBackground: 'Menyens bakgrunnsfarge',
    menuSelectedBackground: 'Bakgrunnsfarge i menyen (valgt punkt)',
    menuText: 'Skriftfarge i menyen',
    menuSelectedText: 'Valgt skriftfarge i menyen',
    headingText: 'Skriftfarge på overskrifter',
  },
  en: {
    pageBackground: 'Page background colour',
    menuBackground: 'Menu background colour',
    menuSelectedBackground: 'Menu background colour, selected item',
    menuText: 'Menu font colour',
    menuSelectedText: 'Selected menu font colour',
    headingText: 'Heading font colour',
  },
};
